# culture.data.gouv.fr — production image (see « Déploiement » in the README).
#   docker build -t culture-portal .
#   docker run -p 8000:8000 -e SECRET_KEY=… -e ALLOWED_HOSTS=culture.data.gouv.fr \
#       -e DATABASE_URL=postgres://… culture-portal                                # the site
#   docker run -e SECRET_KEY=… -e DATABASE_URL=postgres://… culture-portal \
#       python manage.py sync_catalog --every 60                                   # the sync, next to it
# Python 3.11: the version the test suite runs on.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    DATABASE_URL=sqlite:////app/var/db.sqlite3

# The site runs as an unprivileged user who can write nowhere but /app/var (SQLite file, sync lock).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin portal
WORKDIR /app

# Dependencies first: this layer is rebuilt only when the pins change. Every package has a wheel,
# so no compiler is needed.
COPY requirements.txt ./
RUN pip install --no-compile -r requirements.txt

# The code belongs to root: the running site cannot change it.
COPY . .
# Static files are collected at build time; WhiteNoise serves them with hashed names, compressed.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var && chown portal:portal /app/var

USER portal
EXPOSE 8000
# Alive while gunicorn answers and the database does; the catalogue's age is /healthz's business, for
# monitoring (a site on its last good catalogue is still worth serving). The first start may run a full
# sync before serving, hence the long start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15m --retries=3 CMD ["python", "scripts/healthcheck.py"]
# Workers, timeouts and logs: culture_portal/gunicorn_conf.py (WEB_CONCURRENCY, LOG_FORMAT, FORWARDED_ALLOW_IPS).
CMD ["scripts/start-web"]
