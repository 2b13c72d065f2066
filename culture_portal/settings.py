"""Settings for culture.data.gouv.fr, read from the environment (see .env.example and the README)."""

import logging
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from catalog import universe

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from a .env file; real environment variables win."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        os.environ.setdefault(key, value)


_load_dotenv(BASE_DIR / ".env")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from exc


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env (make run writes one), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "dev-only-insecure-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# The public address of the site (https://culture.data.gouv.fr): canonical links, feeds, sitemaps and
# DCAT use it instead of the Host header. Empty: the request's host, checked against ALLOWED_HOSTS.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
_site = urlsplit(SITE_URL)
if SITE_URL and not (_site.scheme in {"http", "https"} and _site.netloc and _site.path == ""):
    raise ImproperlyConfigured(f"SITE_URL must be a scheme and a host (https://culture.data.gouv.fr), got {SITE_URL!r}")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- The catalogue we mirror ---
DATAGOUV_URL = os.environ.get("DATAGOUV_URL", "https://www.data.gouv.fr").strip().rstrip("/")
DATAGOUV_TIMEOUT = env_float("DATAGOUV_TIMEOUT", 10.0)
# Transient failures (timeouts, 429, 5xx) are retried this many times, waiting backoff × 2^n seconds.
DATAGOUV_RETRIES = int(env_float("DATAGOUV_RETRIES", 4))
DATAGOUV_RETRY_BACKOFF = env_float("DATAGOUV_RETRY_BACKOFF", 0.5)
# A larger answer is refused, not read: a page of 100 full datasets is about 1 MB, but one dataset
# can list hundreds of files.
DATAGOUV_MAX_RESPONSE_MB = env_float("DATAGOUV_MAX_RESPONSE_MB", 64)
if not 0 < DATAGOUV_MAX_RESPONSE_MB < float("inf"):
    raise ImproperlyConfigured(f"DATAGOUV_MAX_RESPONSE_MB must be a positive number, got {DATAGOUV_MAX_RESPONSE_MB!r}")
# What the site shows (name, brand, menu, links, sections with their topics, categories and facets), declared in
# one file: a name shipped in culture_portal/universes/ or a path. Read and checked here, once: a file that is
# not exactly right stops the site with a message naming the file and the key.
UNIVERSE = universe.from_environment()
# The topic synced: the universe's first section's, unless CATALOG_TOPIC is set (tests, bench, a stand-in).
CATALOG_TOPIC = os.environ.get("CATALOG_TOPIC", "").strip() or UNIVERSE.main.topic
# Empty: the universe's links (culture_portal.context_processors); set, they replace them (a staging form, say).
FEEDBACK_URL = os.environ.get("FEEDBACK_URL", "").strip()
SUPPORT_URL = os.environ.get("SUPPORT_URL", "").strip()
# Load the invented sample catalogue when the catalogue is empty and data.gouv.fr is unreachable.
SAMPLE_FALLBACK = env_bool("SAMPLE_FALLBACK", True)
SAMPLE_CATALOG_PATH = BASE_DIR / "catalog" / "data" / "sample-catalog.jsonl"
# An automatic sync (sync_catalog without --full) is incremental unless the last full one is older.
SYNC_FULL_EVERY = timedelta(hours=env_float("SYNC_FULL_EVERY_HOURS", 24))
# Objects read one by one during a sync (organizations, archived datasets) are read this many at once.
SYNC_CONCURRENCY = int(env_float("SYNC_CONCURRENCY", 4))
# A sync that has not finished reading the API after this long stops (and keeps the old catalogue).
SYNC_DEADLINE = timedelta(minutes=env_float("SYNC_DEADLINE_MINUTES", 60))
# /healthz answers 503 when the last successful sync is older than this.
HEALTH_MAX_SYNC_AGE = timedelta(hours=env_float("HEALTH_MAX_SYNC_AGE_HOURS", 48))
# A record that cannot be mapped or stored is left out of a sync; past this share of the datasets (or of the
# organizations) left out, the sync fails and keeps the previous catalogue. At least one record may always be.
SYNC_MAX_SKIPPED_PERCENT = env_float("SYNC_MAX_SKIPPED_PERCENT", 1.0)
SYNC_LOCK_PATH = Path(os.environ.get("SYNC_LOCK_PATH", "") or BASE_DIR / "var" / "sync.lock")
# Exports (CSV, DCAT, sitemaps, feeds) are built once per catalogue version into files here (catalog.exports.store).
# The export builder, a low-priority process gunicorn starts (unless EXPORT_BUILDER=0), builds them from a queue
# of at most EXPORT_QUEUE_MAX jobs; without it, requests build them, at most EXPORT_CONCURRENCY at once on the
# host. A request for an export not built yet waits EXPORT_WAIT_SECONDS for it, at most EXPORT_WAITERS at once on
# the host (a waiting request holds a gunicorn worker); the others get a 503 with Retry-After.
EXPORT_CACHE_DIR = Path(os.environ.get("EXPORT_CACHE_DIR", "") or BASE_DIR / "var" / "exports")
EXPORT_CACHE_MAX_MB = env_float("EXPORT_CACHE_MAX_MB", 2048)
EXPORT_CACHE_MAX_FILES = int(env_float("EXPORT_CACHE_MAX_FILES", 5000))
EXPORT_BUILDER = env_bool("EXPORT_BUILDER", True)  # read by `build_exports --parent`, which gunicorn starts
EXPORT_QUEUE_MAX = int(env_float("EXPORT_QUEUE_MAX", 100))
EXPORT_CONCURRENCY = int(env_float("EXPORT_CONCURRENCY", 1))
EXPORT_WAITERS = int(env_float("EXPORT_WAITERS", 1))
EXPORT_WAIT_SECONDS = env_float("EXPORT_WAIT_SECONDS", 5)
if EXPORT_CONCURRENCY < 1:
    raise ImproperlyConfigured(f"EXPORT_CONCURRENCY must be at least 1, got {EXPORT_CONCURRENCY}")

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "template_partials",
    "csp",
    "catalog",
    "pages",
]

MIDDLEWARE = [
    "culture_portal.middleware.PermissionsPolicyMiddleware",  # outermost: static files and errors get it too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "culture_portal.urls"
WSGI_APPLICATION = "culture_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "culture_portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept between requests (CONN_MAX_AGE above), with their page cache.
    # WAL lets pages keep reading the last catalogue while a sync writes the next one.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# WhiteNoise rewrites the DSFR CSS (hashed URLs): the package's SRI hashes would then block it.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Page cache. Keys carry the catalogue version (catalog.caching), so a sync never leaves a stale page
# behind, and a shared cache is an optimisation, not a requirement. CACHE_URL empty: a cache in each
# process, PAGE_CACHE_ENTRIES pages at most; redis://host:port/db: one cache for every process and
# instance, with short timeouts (a Redis that does not answer leaves pages uncached, the site up).
CACHE_URL = os.environ.get("CACHE_URL", "").strip()


def cache_settings(url: str, entries: int) -> dict:
    """CACHES for a CACHE_URL; anything else than empty or redis(s)://host[:port][/db] refuses to start."""
    if not url:
        options = {"MAX_ENTRIES": entries}
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 3600,
                            "OPTIONS": options}}  # fmt: skip
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # not a number, or out of range
        port_ok = False
    db = parts.path.removeprefix("/")
    if (parts.scheme in {"redis", "rediss"} and parts.hostname and port_ok and not parts.query
            and not parts.fragment and (db == "" or (db.isascii() and db.isdigit()))):  # fmt: skip
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                            "TIMEOUT": 3600, "KEY_PREFIX": "culture-portal", "OPTIONS": options}}  # fmt: skip
    shown = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()  # never a password in a log
    raise ImproperlyConfigured(
        "CACHE_URL must be empty (a page cache in each process) or redis://host:port/db (one cache shared "
        f"by every instance, e.g. redis://127.0.0.1:6379/0), got {shown!r}"
    )


CACHES = cache_settings(CACHE_URL, int(env_float("PAGE_CACHE_ENTRIES", 2000)))

# --- Security headers ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz"]  # health probes speak plain HTTP from inside the network
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_float("SECURE_HSTS_SECONDS", 31536000))
    # Covers names under the site's own (*.culture.data.gouv.fr), not data.gouv.fr's other sites.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)

# The HSTS preload list takes registrable domains only (data.gouv.fr, which is not ours to submit):
# the preload flag would be meaningless for culture.data.gouv.fr.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Audience measurement (optional): Matomo, off unless both are set ---
# static/js/matomo.js loads nothing under Do Not Track or Global Privacy Control, and sets no cookie.
MATOMO_URL = os.environ.get("MATOMO_URL", "").strip().rstrip("/")
MATOMO_SITE_ID = os.environ.get("MATOMO_SITE_ID", "").strip()
_matomo = urlsplit(MATOMO_URL)
if (MATOMO_URL or MATOMO_SITE_ID) and not (
    _matomo.scheme in {"http", "https"} and _matomo.netloc and MATOMO_SITE_ID.isdigit()
):
    raise ImproperlyConfigured(
        "MATOMO_URL (https://… of the Matomo server) and MATOMO_SITE_ID (a number) go together, "
        f"got {MATOMO_URL!r} and {MATOMO_SITE_ID!r}"
    )
MATOMO_ORIGIN = [f"{_matomo.scheme}://{_matomo.netloc}"] if MATOMO_URL else []

# Publisher logos are shown from these hosts only, over HTTPS (data.gouv.fr serves them from its
# static host; another udata instance has its own): img-src admits them and no other host.
IMAGE_HOSTS = [host.lower() for host in env_list("IMAGE_HOSTS", ["static.data.gouv.fr"])]
for _host in IMAGE_HOSTS:
    if not re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*", _host):
        raise ImproperlyConfigured(
            f"IMAGE_HOSTS takes host names separated by commas (static.data.gouv.fr), got {_host!r}"
        )

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *MATOMO_ORIGIN],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *(f"https://{host}" for host in IMAGE_HOSTS), *MATOMO_ORIGIN],
        "font-src": [SELF],
        "connect-src": [SELF, *MATOMO_ORIGIN],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Plain lines by default; LOG_FORMAT=json gives one JSON object per line (sync runs carry their figures).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
if LOG_FORMAT == "json":
    logging.captureWarnings(True)  # Python warnings become log records, hence JSON lines, too
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"()": "culture_portal.log.UTCFormatter", "format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "culture_portal.log.JsonFormatter"},
    },
    "filters": {"shed_exports": {"()": "catalog.exports.gate.ShedFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"filters": ["shed_exports"]},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
