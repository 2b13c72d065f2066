"""The Docker image's command and health check, run as they are, without Docker: scripts/start-web
migrates, loads a catalogue (the API is unreachable: the sample one) and serves with the shared gunicorn
settings; scripts/healthcheck.py sees it alive behind production settings (HTTPS redirect, a real host
name); with LOG_FORMAT=json every log line is a JSON object, sync runs and requests included."""

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from catalog.exports.store import lock_held
from tests.test_concurrency import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def container(tmp_path):
    """scripts/start-web with the environment a container would have; yields (env, log files)."""
    with start_web(tmp_path) as started:
        yield started


@contextlib.contextmanager
def start_web(tmp_path, **overrides: str):
    bin_dir = Path(sys.executable).parent
    env = {
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "culture.example.org",
        "HTTPS": "1",
        "DATAGOUV_URL": f"http://127.0.0.1:{free_port()}",  # nobody listens there
        "DATAGOUV_RETRIES": "0",
        "SYNC_LOCK_PATH": str(tmp_path / "sync.lock"),
        "EXPORT_CACHE_DIR": str(tmp_path / "exports"),
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "1",
        "LOG_FORMAT": "json",
        **overrides,
    }
    assert shutil.which("python", path=env["PATH"]) == str(bin_dir / "python")
    stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with open(stdout, "w") as out, open(stderr, "w") as err:
        server = subprocess.Popen([str(ROOT / "scripts" / "start-web")], cwd=ROOT, env=env, stdout=out, stderr=err)
        try:
            yield env, stdout, stderr, server
        finally:
            server.terminate()
            server.wait(timeout=15)


def healthcheck(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/healthcheck.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=10
    )


def wait_until_healthy(env, stderr, server) -> subprocess.CompletedProcess:
    deadline = time.monotonic() + 90
    while (check := healthcheck(env)).returncode != 0:
        assert server.poll() is None, stderr.read_text()
        assert time.monotonic() < deadline, check.stderr + stderr.read_text()
        time.sleep(0.5)
    return check


def test_the_container_command_serves_and_its_health_check_says_so(container):
    env, stdout, stderr, server = container
    check = wait_until_healthy(env, stderr, server)
    assert check.stdout == ""

    # /healthz itself is unhappy (sample data), and says so, without the container being unhealthy.
    request = urllib.request.Request(
        f"http://127.0.0.1:{env['PORT']}/healthz",
        headers={"Host": "culture.example.org", "X-Forwarded-Proto": "https"},
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=5)
    assert answer.value.code == 503 and json.loads(answer.value.read())["problems"] == ["sample data"]

    server.terminate()
    server.wait(timeout=15)
    errors = [json.loads(line) for line in stderr.read_text().splitlines() if line.strip()]
    syncs = {entry.get("event"): entry for entry in errors if entry.get("event")}
    assert syncs["sync_failed"]["level"] == "ERROR" and env["DATAGOUV_URL"] in syncs["sync_failed"]["sync"]["source"]
    finished = syncs["sync_finished"]["sync"]
    assert finished["is_sample"] is True and finished["datasets_total"] > 0 and finished["mode"] == "full"
    assert any(entry["logger"] == "gunicorn.error" and "Booting worker" in entry["message"] for entry in errors)

    access = [json.loads(line)["http"] for line in stdout.read_text().splitlines() if line.startswith("{")]
    assert {"method": "GET", "path": "/healthz/live", "status": 200} in [
        {key: entry[key] for key in ("method", "path", "status")} for entry in access
    ]
    assert any(entry["path"] == "/healthz" and entry["status"] == 503 for entry in access)


def test_the_health_check_fails_when_nothing_answers(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "PORT": str(free_port()), "ALLOWED_HOSTS": "culture.example.org"}
    check = healthcheck(env)
    assert check.returncode == 1 and "unhealthy" in check.stderr


def test_the_dockerfile_runs_what_these_tests_run():
    """No Docker engine here: check that the image runs the very scripts tested above, as a non-root user."""
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    assert instructions[0] == "FROM python:3.11-slim"
    user = next(index for index, line in enumerate(instructions) if line.startswith("USER "))
    assert instructions[user] != "USER root"
    healthcheck = next(line for line in instructions[user:] if line.startswith("HEALTHCHECK "))
    assert healthcheck.endswith('CMD ["python", "scripts/healthcheck.py"]')
    assert next(line for line in instructions[user:] if line.startswith("CMD ")) == 'CMD ["scripts/start-web"]'
    assert any("collectstatic" in line for line in instructions[:user] if line.startswith("RUN "))
    assert os.access(ROOT / "scripts" / "start-web", os.X_OK)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "scripts" not in ignored and "catalog" not in ignored


def test_the_container_serves_whatever_the_sync_raises(tmp_path):
    # Not an error of the sync's own kind: the client refuses the URL before any run starts (it used to
    # stop the start script, so the site never came up).
    with start_web(tmp_path, DATAGOUV_URL="ftp://misconfigured.example") as (env, stdout, stderr, server):
        wait_until_healthy(env, stderr, server)
        request = urllib.request.Request(
            f"http://127.0.0.1:{env['PORT']}/healthz",
            headers={"Host": "culture.example.org", "X-Forwarded-Proto": "https"},
        )
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=5)
    # Serving the sample catalogue, with the failed attempt recorded: the pages show both banners.
    health = json.loads(answer.value.read())
    assert health["problems"] == ["sample data"] and health["last_sync_failed"] is True
    logged = [json.loads(line) for line in stderr.read_text().splitlines() if line.strip()]
    assert any("DATAGOUV_URL must be an http(s) URL" in entry["message"] for entry in logged)


def get(env, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{env['PORT']}{path}", headers={"Host": "culture.example.org", "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get_export(env, path: str) -> tuple[int, bytes]:
    """``get``, asked again while the answer is « en préparation » (503), for at most a minute."""
    deadline = time.monotonic() + 60
    while True:
        status, body = get(env, path)
        if status != 503 or time.monotonic() > deadline:
            return status, body
        assert "en préparation" in body.decode()
        time.sleep(0.5)


def test_the_export_builder_runs_beside_gunicorn_and_builds_the_exports(container):
    env, stdout, stderr, server = container
    wait_until_healthy(env, stderr, server)
    lock = Path(env["EXPORT_CACHE_DIR"]) / "builder.lock"
    deadline = time.monotonic() + 30
    while not lock_held(lock):
        assert time.monotonic() < deadline, stderr.read_text()
        time.sleep(0.2)
    # The request waits for the builder (EXPORT_WAIT_SECONDS) and gets its file; on a loaded machine it is told
    # « en préparation » instead, and asks again as a harvester would, until the builder has written it.
    status, sitemap = get_export(env, "/sitemap.xml")
    assert status == 200 and b"https://culture.example.org/sitemap-datasets.xml" in sitemap
    status, csv = get_export(env, "/datasets.csv?q=mus%C3%A9e")
    assert status == 200 and csv.startswith(b"titre,")
    server.terminate()
    server.wait(timeout=15)
    deadline = time.monotonic() + 15
    while lock_held(lock):  # the builder stops with gunicorn
        assert time.monotonic() < deadline
        time.sleep(0.2)
    logged = [json.loads(line) for line in stderr.read_text().splitlines() if line.strip()]
    jobs = [entry["message"] for entry in logged if entry["message"].startswith("export_job ")]
    assert any("path=/sitemap.xml status=200" in message for message in jobs), jobs
    assert any("path=/datasets.csv status=200" in message for message in jobs), jobs
