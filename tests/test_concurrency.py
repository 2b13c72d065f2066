"""The site keeps answering, consistently, while a sync commits a new catalogue.

Real processes on a real SQLite file in WAL mode: gunicorn serves the site while threads ask for
the list and home pages and another process replaces every dataset. No request may fail, and no
page may show a mix of the two catalogues.
"""

import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.fakes.payloads import dataset, organization, write_dump
from tests.net import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
SIZES = {"v1": 300, "v2": 310}  # the new catalogue also has ten more datasets
MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")


def catalogue(version: str) -> list[dict]:
    return [dataset(f"{i:024x}", f"Jeu {i} {version}", tags=("musee",), org=MC) for i in range(1, SIZES[version] + 1)]


@pytest.fixture
def site(tmp_path):
    env = {
        **{key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")},
        "DJANGO_SETTINGS_MODULE": "tests.concurrency_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SYNC_LOCK_PATH": str(tmp_path / "sync.lock"),
        "SAMPLE_FALLBACK": "0",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    first = write_dump(tmp_path / "v1.jsonl", catalogue("v1"), [MC])
    subprocess.run([*manage, "sync_catalog", "--from-dump", first], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "culture_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "2", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:  # not listening yet, or 503 (HTTPError is an OSError)
                if _ == 99:
                    raise
                time.sleep(0.1)
        yield url, env, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_pages_stay_whole_and_answer_while_a_sync_commits(site):
    url, env, tmp_path = site
    second = write_dump(tmp_path / "v2.jsonl", catalogue("v2"), [MC])
    seen: list[tuple[float, str, set[str]]] = []
    problems: list[str] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            # No page cache in this site (tests/concurrency_settings.py): every answer is rendered.
            path = "/datasets/?sort=titre"
            try:
                with urllib.request.urlopen(url + path, timeout=10) as response:
                    body = response.read().decode()
            except Exception as exc:  # noqa: BLE001 (any failure is what this test looks for)
                problems.append(f"{path}: {exc}")
                continue
            versions = set(re.findall(r"Jeu \d+ (v\d)", body))
            count = re.search(r"(\d[\d\u202f\xa0 ]*) jeux de données", body)
            number = int(re.sub(r"\D", "", count.group(1))) if count else None
            # One catalogue per page: its titles, and the count that goes with them.
            if len(versions) != 1 or number != SIZES[next(iter(versions))]:
                problems.append(f"{path}: versions {versions}, count {number}")
            seen.append((time.monotonic(), path, versions))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    first = tmp_path / "v1.jsonl"
    for dump in (second, first, second, first, second):  # five commits while the pages are asked for
        sync = subprocess.run(
            [sys.executable, "manage.py", "sync_catalog", "--from-dump", dump], cwd=ROOT, env=env, capture_output=True
        )
        if sync.returncode:
            break
    finished = time.monotonic()
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    assert sync.returncode == 0, sync.stderr[-2000:]
    assert problems == []
    during = [versions for moment, _, versions in seen if started <= moment <= finished]
    assert len(during) >= 5, "the pages were not asked for while the sync ran"
    assert seen[0][2] == {"v1"} and seen[-1][2] == {"v2"}
