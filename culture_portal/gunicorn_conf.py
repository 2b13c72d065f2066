"""gunicorn settings, shared by `make run` and the Docker image:
``gunicorn -c python:culture_portal.gunicorn_conf culture_portal.wsgi``. Command-line options win.

Sync workers: a page is rendered in milliseconds from the local database, so a handful of processes
serve a lot; slow clients are the reverse proxy's job (nginx buffers requests and responses).
"""

import multiprocessing
import os

bind = f"{os.environ.get('LISTEN_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# gunicorn's usual rule, capped: every worker keeps its own page cache and database connection.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "sync"
# No page needs more than a second; 30 s only catches a stuck worker. The CSV export and the DCAT pages
# stream, but stay well under it (60,000 datasets in a few seconds).
timeout = 30
graceful_timeout = 30
# Recycle workers now and then, staggered, so none holds on to memory for days.
max_requests = 1000
max_requests_jitter = 100
# The heartbeat file in memory: a container's overlay filesystem can stall it and get workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Behind a proxy: trust its X-Forwarded-* headers only from these addresses (gunicorn's own variable).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The access log is switched on by the command line (`make serve`, scripts/start-web: --access-logfile -),
# so that the benchmark can serve without it.
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
if os.environ.get("LOG_FORMAT", "text").strip().lower() == "json":
    logger_class = "culture_portal.log.GunicornJsonLogger"

# The export builder (catalog.exports.builder) beside the workers: a process of its own, at the lowest CPU
# priority, so that building a CSV or a DCAT page never takes a worker or the CPU that pages need.
# EXPORT_BUILDER=0 when it runs elsewhere on the host (its own container sharing EXPORT_CACHE_DIR): the command
# reads it from the settings (the environment or .env, which this master process does not read) and stops.
_builder = None


def when_ready(server):
    global _builder
    import subprocess
    import sys
    from pathlib import Path

    manage = Path(__file__).resolve().parent.parent / "manage.py"
    _builder = subprocess.Popen([sys.executable, str(manage), "build_exports", "--parent", str(os.getpid())])
    server.log.info("export builder started (pid %s)", _builder.pid)


def post_worker_init(worker):
    """Read the list page's facet table (catalog.selectors.facet_table) before the worker takes a request, so that
    no visitor waits for it: a second at 60,000 datasets from the database, milliseconds from the copy another
    worker left. After a sync, the first request of each worker reads the new version."""
    from django.db import connections

    from catalog.selectors import facet_table

    try:
        facet_table.warm()
    except Exception:  # noqa: BLE001 (a page will read it; a missing table must not stop the worker)
        worker.log.exception("could not read the facet table at start")
    finally:
        connections.close_all()


def on_exit(server):
    if _builder is not None and _builder.poll() is None:
        _builder.terminate()
        try:
            _builder.wait(timeout=10)
        except Exception:  # noqa: BLE001 (it is gone with the master anyway)
            _builder.kill()
