"""Log formats: plain lines for people (the default), or one JSON object per line for log collectors
(``LOG_FORMAT=json``), for Django's loggers and for gunicorn's access and error logs alike."""

import json
import logging
import time

from gunicorn import glogging

# Attributes every LogRecord has: anything else on a record came through ``extra=`` and is worth keeping.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class UTCFormatter(logging.Formatter):
    """ISO 8601 UTC timestamps, like gunicorn's, whatever TIME_ZONE says."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


def _jsonable(key: str, value):
    if key == "request" and hasattr(value, "method"):  # django.request passes the HttpRequest itself
        return {"method": value.method, "path": value.path}
    if key == "request":  # django.server passes the socket: nothing useful in it
        return None
    return value


class JsonFormatter(UTCFormatter):
    """One JSON object per record: time, level, logger, message, then the record's ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                value = _jsonable(key, value)
                if value is not None:
                    entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class GunicornJsonLogger(glogging.Logger):
    """gunicorn's error and access logs as JSON lines (chosen by culture_portal.gunicorn_conf)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = str(atoms.get("s", "-"))
        http = {
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "query": atoms.get("q") or None,
            "status": int(status) if status.isdigit() else status,
            "bytes": int(atoms["B"]) if str(atoms.get("B")).isdigit() else 0,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote": atoms.get("h"),
            "forwarded_for": atoms.get("{x-forwarded-for}i") if atoms.get("{x-forwarded-for}i") != "-" else None,
            "user_agent": atoms.get("a"),
            "referer": atoms.get("f") if atoms.get("f") != "-" else None,
        }
        self.access_log.info("%s %s %s", http["method"], http["path"], status, extra={"http": http})
