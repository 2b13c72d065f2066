"""nginx with the site's reference configuration (scripts/nginx-site.conf), in a folder of its own.

Used by the tests of that configuration and by the benchmark's abuse section, which measures the
site as the README deploys it: gunicorn behind this proxy.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_CONF = ROOT / "scripts" / "nginx-site.conf"

# The main file around the site's include: everything nginx writes stays in ``folder``.
_MAIN = """\
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""


def executable() -> str | None:
    return shutil.which("nginx") or next(
        (str(path) for path in (Path("/usr/sbin/nginx"), Path("/usr/local/sbin/nginx")) if path.exists()), None
    )


def render(upstream: str, listen: str) -> str:
    """The site's configuration with its two placeholders filled in (the README does it with sed)."""
    return SITE_CONF.read_text(encoding="utf-8").replace("@UPSTREAM@", upstream).replace("@LISTEN@", listen)


def write(folder: Path, upstream: str, port: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.conf").write_text(render(upstream, f"127.0.0.1:{port}"), encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(_MAIN.format(folder=folder), encoding="utf-8")
    return main


def command(main: Path) -> list[str]:
    nginx = executable()
    if nginx is None:
        raise FileNotFoundError("nginx is not installed (apt-get install nginx-light)")
    return [nginx, "-c", str(main), "-g", "daemon off;"]


def check(main: Path) -> subprocess.CompletedProcess:
    """``nginx -t`` on the configuration: its verdict is on stderr."""
    return subprocess.run([*command(main)[:3], "-t"], capture_output=True, text=True, timeout=30)


def wait_until_listening(port: int, process: subprocess.Popen, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on port {port} within {timeout} s")
