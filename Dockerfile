# culture.data.gouv.fr — production image. Build: docker build -t culture-portal .
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    WEB_CONCURRENCY=2

RUN useradd --create-home --uid 10001 portal
WORKDIR /app

# Dependencies first: this layer is rebuilt only when the pins change.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=portal:portal . .
# Static files are collected at build time; whitenoise serves them hashed and compressed.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var && chown portal:portal /app/var

USER portal
EXPOSE 8000
# Migrate, make sure a catalogue is there (never fails for an unreachable API), then serve.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py ensure_catalog && exec gunicorn culture_portal.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY} --timeout 30 --max-requests 1000 --max-requests-jitter 100 --access-logfile - --error-logfile -"]
