"""The README's first command, `make run`, on a fresh clone of the repository, as a newcomer runs it.

(`make test`, the second, is what CI itself runs on a fresh clone.)
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from tests.fakes.datagouv import StandinAPI
from tests.net import free_port

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SAMPLE = REPO / "catalog" / "data" / "sample-catalog.jsonl"


def test_readme_opens_with_exactly_the_two_commands():
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", text, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.split("#")[0].strip()]
    assert commands == ["make run", "make test"]
    assert text.index("```") < text.index("## ")  # before any section


READ_FROM_ENVIRONMENT = re.compile(
    r"""(?:environ\.get|environ\[|env_bool|env_list|env_float)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""  # Python
    r"""|\$\{([A-Z][A-Z0-9_]+)"""  # shell scripts
)


def test_the_configuration_table_lists_every_variable_the_code_reads():
    sources = [*REPO.glob("culture_portal/*.py"), *REPO.glob("catalog/**/*.py"), *REPO.glob("pages/*.py"),
               *(path for path in (REPO / "scripts").iterdir() if path.is_file())]  # fmt: skip
    matches = [match.groups() for path in sources for match in READ_FROM_ENVIRONMENT.finditer(path.read_text())]
    read = {name for names in matches for name in names if name}
    table = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, re.M))
    assert {"SECRET_KEY", "DATABASE_URL", "MATOMO_URL", "LOG_FORMAT"} <= read  # the scan finds them
    assert read - documented == set()


def _clone(tmp_path: Path) -> Path:
    if not (REPO / ".git").exists():
        pytest.fail("the repository has no .git: this test clones it as a newcomer would")
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True)
    return target


class Served:
    def __init__(self, clone: Path, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log_handle = log.open("w")
        self.process = subprocess.Popen(
            ["make", "run", f"PORT={self.port}"],
            cwd=clone,
            env=env | {"PORT": str(self.port)},
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait(self, deadline_seconds: float = 600) -> None:
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"make run exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        pytest.fail(f"the site did not answer within {deadline_seconds} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        self._log_handle.close()


def _clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    for key in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "CATALOG_TOPIC", "VIRTUAL_ENV"):
        env.pop(key, None)
    return env | extra


@pytest.mark.slow
def test_make_run_on_a_fresh_clone_syncs_and_serves(tmp_path):
    if shutil.which("make") is None or shutil.which("git") is None:
        pytest.fail("make and git are needed (the README's prerequisites)")
    clone = _clone(tmp_path)
    with StandinAPI.from_dump(SAMPLE) as api:
        served = Served(clone, _clean_env(DATAGOUV_URL=api.url), tmp_path / "run.log")
        try:
            served.wait()
            home = httpx.get(served.url + "/").text
            listing = httpx.get(served.url + "/datasets/?q=musees").text
            page = httpx.get(served.url + "/datasets/frequentation-des-musees-de-france/")
            css = re.search(r'href="(/static/dsfr/[^"]+\.css)"', home).group(1)
            stylesheet = httpx.get(served.url + css)
        finally:
            served.stop()
        assert api.requests_to("/api/1/datasets/"), "the sync never called the stand-in"
    assert "Données d’exemple" not in home  # real sync from DATAGOUV_URL, not the fallback
    assert "Catalogue synchronisé avec data.gouv.fr" in home
    assert 'cp-figures__value">42</span> jeux de données' in home  # Explorer's published sample datasets
    assert "Fréquentation des musées de France" in listing
    assert page.status_code == 200 and "Télécharger" in page.text
    assert stylesheet.status_code == 200 and "fr-header" in stylesheet.text
    assert re.search(r"/static/dsfr/dist/dsfr/dsfr\.min\.[0-9a-f]{12}\.css", css), "static files not hashed"
    assert stylesheet.headers["content-encoding"] in {"gzip", "br"}, "static files not compressed"
    assert "immutable" in stylesheet.headers["cache-control"]  # hashed names can be cached for good
    assert (clone / ".env").exists()
    assert "SECRET_KEY=change-me" not in (clone / ".env").read_text()

    # Second start, data.gouv.fr unreachable and no catalogue yet: the site starts on the sample data.
    fresh_db = tmp_path / "offline.sqlite3"
    served = Served(
        clone, _clean_env(DATAGOUV_URL="http://127.0.0.1:9", DATABASE_URL=f"sqlite:///{fresh_db}"), tmp_path / "off.log"
    )
    try:
        served.wait()
        home = httpx.get(served.url + "/").text
    finally:
        served.stop()
    assert "Données d’exemple" in home
    assert "Le catalogue n’a pas pu être synchronisé avec data.gouv.fr" in home
    assert "127.0.0.1:9" in (tmp_path / "off.log").read_text()  # the log says why
    assert settings.DATAGOUV_URL == "https://api.invalid"  # the test itself never left the sandbox
