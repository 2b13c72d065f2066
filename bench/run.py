"""``make bench``: sync, page and throughput benchmark of the portal on synthetic catalogues.

For each size of ``BENCH_SIZES`` (default ``1000,10000,60000``), in a fresh temporary folder:

1. start the fake data.gouv.fr (``tests.fakes.datagouv --synthetic``) on a free port and an empty SQLite database;
2. time a full sync, then an unchanged (incremental) one: wall time, API requests (the stand-in's
   counter), peak memory of the sync process (``ru_maxrss`` from ``os.wait4``);
3. time the pages in-process (``bench.pages``), with the cache as configured and cleared;
4. serve the site with gunicorn as ``make serve`` does (without its access log) and measure the
   search page's requests per second with wrk, then those of a bare Django view under the same
   gunicorn settings (``bench.bare_settings``);
5. a load test during full syncs, then the abuse section (``bench.abuse``): junk-parameter flood,
   exports hammered while visitors browse, a sync with hostile records.

Results go to bench/results/latest.md and latest.json, and the Markdown to stdout; progress to
stderr. Environment: ``BENCH_SIZES``, ``BENCH_RUNS`` (timed runs per page, 30),
``BENCH_QUERY_RUNS`` (runs per search query, 10), ``BENCH_WRK_SECONDS`` (10), ``WEB_CONCURRENCY``,
``BENCH_KEEP=1`` (keep each size's database and logs), ``BENCH_ABUSE=0`` (skip the abuse section),
``BENCH_ABUSE_SECONDS`` (30), ``BENCH_ABUSE_URLS`` (1000).
``python -m bench.run --render`` rewrites latest.md from latest.json.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.net import free_port

ROOT = Path(__file__).resolve().parent.parent
# The project is run from a copy of the working tree taken at start (see snapshot()): edits made
# while the benchmark runs (new migrations…) cannot mix two versions of the code in one run.
APP = ROOT
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
SEARCH_PATH = "/datasets/?q=musee"
TOPIC_ID = "69aea5dff97ef1fc29836765"
STANDIN = [PYTHON, "-m", "tests.fakes.datagouv"]
OBSERVER_SHARE = "0.1"  # of the synthetic datasets, also in the Observer topic (the universe's second section)
NETWORK_DELAY = 0.1  # seconds per request to data.gouv.fr, for an estimate of the real sync time

# The targets, at 60,000 datasets on SQLite: figure -> (comparison, limit).
TARGETS = {
    "sync_full_seconds": ("≤", 300.0),
    "sync_full_memory_mb": ("≤", 300.0),
    "sync_unchanged_requests": ("≤", 5),
    "sync_unchanged_seconds": ("≤", 3.0),
    "home_p95_ms": ("≤", 20.0),
    "list_p95_ms": ("≤", 50.0),
    "search_p95_ms": ("≤", 50.0),
    "filtered_p95_ms": ("≤", 50.0),
    "observer_p95_ms": ("≤", 50.0),
    "dataset_p95_ms": ("≤", 15.0),
    "throughput_ratio": ("≥", 0.40),
    "load_errors": ("≤", 0),
    # Abuse section (bench.abuse). The page cache holds up to PAGE_CACHE_ENTRIES (2,000) pages of
    # 50-100 KB per worker: 1,000 junk URLs add tens of MB when each is a new entry, a few MB when
    # they map to the pages that exist.
    "abuse_flood_memory_mb": ("≤", 25.0),
    "abuse_flood_errors": ("≤", 0),
    "abuse_browse_p99_ratio": ("≤", 2.0),
    "abuse_browse_errors": ("≤", 0),
    "abuse_export_errors": ("≤", 0),
    "abuse_hostile_lost": ("≤", 0),
}
LOAD_CLIENTS = 50
STARTED = time.monotonic()


def log(message: str) -> None:
    elapsed = time.monotonic() - STARTED
    print(f"[bench {elapsed:7.1f} s] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# --- processes ----------------------------------------------------------------------------------


class Processes:
    """Every subprocess we start, each in its own process group, killed on the way out."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []

    def start(self, command: list[str], **options: Any) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=APP, start_new_session=True, **options)
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen, timeout: float = 10.0) -> None:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            except ChildProcessError:  # already reaped by os.wait4
                pass
        if process in self.running:
            self.running.remove(process)

    def stop_all(self) -> None:
        for process in list(reversed(self.running)):
            self.stop(process, timeout=5.0)


def http_get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def run_measured(
    processes: Processes, command: list[str], env: dict[str, str], log_path: Path, *, timeout: float = 3600
) -> dict[str, Any]:
    """Run a command to its end; wall time, exit code, output and peak memory (``ru_maxrss``) of that child."""
    with open(log_path, "w", encoding="utf-8") as log_file:
        start = time.perf_counter()
        process = processes.start(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines: list[str] = []

        def tee() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line)
                log_file.write(line)
                print(f"    | {line.rstrip()}", file=sys.stderr, flush=True)

        reader = threading.Thread(target=tee, daemon=True)
        reader.start()

        def kill() -> None:
            log(f"{command[-1]}: still running after {timeout:.0f} s, killed")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        watchdog = threading.Timer(timeout, kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        reader.join(timeout=10)
        processes.running.remove(process)
    return {
        "wall_s": round(wall, 2),
        "returncode": process.returncode,
        "maxrss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports kilobytes
        "output": "".join(lines),
    }


def manage(env: dict[str, str], *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=APP, env=env, capture_output=True, text=True, timeout=900
    )
    if check and completed.returncode != 0:
        raise BenchError(f"manage.py {' '.join(arguments)} failed:\n{completed.stdout}{completed.stderr}")
    return completed


# --- the stand-in -------------------------------------------------------------------------------


def start_standin(processes: Processes, size: int, log_path: Path, *, hostile: int = 0) -> tuple[subprocess.Popen, str]:
    with open(log_path, "w", encoding="utf-8") as stderr:  # the child keeps its own copy
        process = processes.start(
            # One dataset in ten in the Observer topic too: the sync reads both sections' topics.
            [*STANDIN, "--synthetic", str(size), "--hostile", str(hostile), "--observer-share", OBSERVER_SHARE],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        raise BenchError(f"the API stand-in did not start: {log_path.read_text(encoding='utf-8')[-2000:]}")
    return process, url


def standin_requests(url: str) -> int:
    status, body = http_get(f"{url}/__bench__/requests")
    if status != 200:
        raise BenchError(f"stand-in request counter answered HTTP {status}")
    return int(json.loads(body)["requests"])


# --- sync ---------------------------------------------------------------------------------------

_SUMMARY = re.compile(r"(\d+) API requests in ([\d.]+) s")


def measure_sync(
    processes: Processes, env: dict[str, str], url: str, flags: list[str], log_path: Path
) -> dict[str, Any]:
    before = standin_requests(url)
    run = run_measured(processes, [PYTHON, "manage.py", "sync_catalog", *flags], env, log_path)
    requests = standin_requests(url) - before
    summary = [line for line in run["output"].splitlines() if _SUMMARY.search(line)]
    match = _SUMMARY.search(summary[-1]) if summary else None
    result = {
        "command": " ".join(["manage.py", "sync_catalog", *flags]),
        "wall_s": run["wall_s"],
        "maxrss_mb": run["maxrss_mb"],
        "requests": requests,
        "reported_requests": int(match.group(1)) if match else None,
        "reported_seconds": float(match.group(2)) if match else None,
        "summary": summary[-1].strip() if summary else "",
        "returncode": run["returncode"],
    }
    if run["returncode"] != 0:
        tail = run["output"].strip().splitlines()[-3:]
        result["error"] = f"exit code {run['returncode']}: " + " / ".join(tail)
    return result


# --- gunicorn and wrk ---------------------------------------------------------------------------


def gunicorn_command(port: int) -> list[str]:
    """The command of ``make serve`` (read from the Makefile), without its access log."""
    concurrency = os.environ.get("WEB_CONCURRENCY", "2")
    fallback = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "culture_portal.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", concurrency, "--timeout", "30", "--max-requests", "1000", "--max-requests-jitter", "100",
        "--error-logfile", "-",
    ]  # fmt: skip
    try:
        dry_run = subprocess.run(
            ["make", "-n", "-s", "serve", f"PORT={port}", "LISTEN_HOST=127.0.0.1", f"WEB_CONCURRENCY={concurrency}"],
            cwd=APP,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return fallback
    text = dry_run.stdout.replace("\\\n", " ")
    line = next((line for line in text.splitlines() if "gunicorn" in line and "echo" not in line), "")
    if dry_run.returncode != 0 or not line:
        return fallback
    words = shlex.split(line)
    command: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word == "--access-logfile":
            skip = True
            continue
        if word.startswith("--access-logfile="):
            continue
        command.append(word)
    if not Path(command[0]).is_absolute():
        command[0] = str(ROOT / command[0])  # the virtualenv stays in the real working tree
    return command


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with code {process.returncode}")
        try:
            status, body = http_get(url, timeout=30)
        except OSError as exc:
            last = str(exc)
            time.sleep(0.3)
            continue
        if status == 200:
            return
        raise BenchError(f"GET {url} answered HTTP {status}: {body[:300]!r}")
    raise BenchError(f"gunicorn did not answer {url} within {timeout:.0f} s ({last})")


_WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def wrk(url: str, seconds: int) -> dict[str, Any]:
    command = ["wrk", "-t2", "-c20", f"-d{seconds}s", "--timeout", "30s", "--latency", url]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    return _parse_wrk(completed, command)


def _parse_wrk(completed: subprocess.CompletedProcess, command: list[str]) -> dict[str, Any]:
    output = completed.stdout
    match = _WRK_RPS.search(output)
    if completed.returncode != 0 or not match:
        raise BenchError(f"wrk failed: {completed.stdout[-500:]}{completed.stderr[-500:]}")
    latency = {}
    for percent, value, unit in _WRK_LATENCY.findall(output):
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
        latency[f"latency_p{percent}_ms"] = round(float(value) * scale, 2)
    non2xx = int(_WRK_NON2XX.search(output).group(1)) if _WRK_NON2XX.search(output) else 0
    errors = sum(int(n) for n in _WRK_ERRORS.search(output).groups()) if _WRK_ERRORS.search(output) else 0
    return {"command": " ".join(command), "rps": float(match.group(1)), "non_2xx": non2xx, "socket_errors": errors,
            **latency}  # fmt: skip


def measure_throughput(
    processes: Processes, env: dict[str, str], settings_module: str, path: str, log_path: Path
) -> dict[str, Any]:
    port = free_port()
    command = gunicorn_command(port)
    run_env = {**env, "DJANGO_SETTINGS_MODULE": settings_module}
    with open(log_path, "w", encoding="utf-8") as server_log:
        process = processes.start(command, env=run_env, stdout=server_log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}{path}"
    try:
        wait_until_up(url, process)
        seconds = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
        wrk(url, 2)  # warm-up: workers import everything and fill their caches
        result = wrk(url, seconds)
    finally:
        processes.stop(process)
    result["gunicorn"] = " ".join(shlex.quote(word) for word in command).replace(str(ROOT) + "/", "")
    result["settings"] = settings_module
    result["url"] = path
    if result["non_2xx"] or result["socket_errors"]:
        result["error"] = f"{result['non_2xx']} non-2xx responses, {result['socket_errors']} socket errors"
    return result


def load_paths(database: Path) -> list[str]:
    """A mix of what visitors ask for: home, list, searches, a filtered search, datasets, publishers."""
    from urllib.parse import urlencode

    from bench.pages import FILTERED, QUERIES

    with contextlib.closing(sqlite3.connect(database)) as connection:
        slugs = [row[0] for row in connection.execute(
            "SELECT slug FROM catalog_dataset WHERE withdrawn_at IS NULL AND archived_at IS NULL ORDER BY id LIMIT 20"
        )]  # fmt: skip
    paths = ["/", "/datasets/", "/organisations/", FILTERED, "/datasets/?category=musee&sort=populaire"]
    paths += ["/datasets/?" + urlencode({"q": query}) for query in QUERIES]
    paths += [f"/datasets/{slug}/" for slug in slugs]
    return paths


def wrk_script(paths: list[str], script: Path) -> Path:
    """A wrk script whose connections ask for ``paths`` in turn."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        'request = function()\n  i = i + 1\n  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n',
        encoding="utf-8",
    )
    return script


def measure_load(processes: Processes, env: dict[str, str], size: int, work: Path) -> dict[str, Any]:
    """LOAD_CLIENTS clients for BENCH_LOAD_SECONDS on a mix of pages while full syncs run one after another."""
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    paths = load_paths(work / "db.sqlite3")
    script = wrk_script(paths, work / "load.lua")
    standin, api_url = start_standin(processes, size, work / "standin-load.log")
    load_env = {**env, "DATAGOUV_URL": api_url}
    port = free_port()
    with open(work / "gunicorn-load.log", "w", encoding="utf-8") as server_log:
        server = processes.start(gunicorn_command(port), env=load_env, stdout=server_log, stderr=subprocess.STDOUT)
    syncs = {"started": 0, "finished": 0, "failed": 0}
    stop = threading.Event()

    def sync_loop() -> None:
        while not stop.is_set():
            with open(work / "sync-load.log", "a", encoding="utf-8") as sync_log:
                process = processes.start([PYTHON, "manage.py", "sync_catalog", "--full"], env=load_env,
                                          stdout=sync_log, stderr=subprocess.STDOUT)  # fmt: skip
            syncs["started"] += 1
            while process.poll() is None and not stop.is_set():
                time.sleep(0.2)
            if process.poll() is None:
                processes.stop(process)  # the load is over: interrupted before its commit, nothing changes
            else:
                syncs["finished" if process.returncode == 0 else "failed"] += 1
                processes.stop(process)

    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", server)
        thread = threading.Thread(target=sync_loop, daemon=True)
        thread.start()
        time.sleep(1)  # the sync is under way
        command = ["wrk", "-t2", f"-c{LOAD_CLIENTS}", f"-d{seconds}s", "--timeout", "30s", "--latency",
                   "-s", str(script), url]  # fmt: skip
        completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
        stop.set()
        thread.join(timeout=60)
    finally:
        stop.set()
        processes.stop(server)
        processes.stop(standin)
    result = _parse_wrk(completed, command)
    result.update(seconds=seconds, clients=LOAD_CLIENTS, paths=len(paths), syncs=syncs)
    result["errors"] = result["non_2xx"] + result["socket_errors"]
    return result


# --- snapshot of the working tree ---------------------------------------------------------------


def snapshot(target: Path) -> int:
    """Copy the project's files (tracked and untracked, not ignored: no .venv, .env or database) to ``target``."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True
    )
    if listing.returncode != 0:
        ignored = shutil.ignore_patterns(".git", ".venv", ".env", "staticfiles", "db.sqlite3*", "var", "__pycache__")
        shutil.copytree(ROOT, target, ignore=ignored, dirs_exist_ok=True)
        return sum(1 for path in target.rglob("*") if path.is_file())
    copied = 0
    for name in listing.stdout.decode().split("\0"):
        source = ROOT / name
        if not name or not source.is_file():  # deleted but still in the index
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        copied += 1
    return copied


# --- noise from other processes -----------------------------------------------------------------


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy since boot (all cores, from /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:4]
    except (OSError, IndexError):
        return 0.0
    user, nice, system = (int(value) for value in fields[:3])
    # Not irq/softirq: loopback traffic of our own processes lands there without being charged to them.
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU time of this process and of every subprocess it has reaped (stand-in, syncs, gunicorn, wrk…)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


# --- one size -------------------------------------------------------------------------------------


def bench_size(processes: Processes, size: int, base_env: dict[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = {"size": size, "errors": []}
    started, busy, own = time.monotonic(), machine_busy_seconds(), own_cpu_seconds()
    keep = os.environ.get("BENCH_KEEP", "") not in ("", "0")
    folder = Path(tempfile.mkdtemp(prefix=f"culture-bench-{size}-"))
    try:
        _bench_size_in(processes, size, base_env, folder, result)
    finally:
        processes.stop_all()  # before the folder they write in goes away
        if keep:
            log(f"{size} datasets: BENCH_KEEP is set, the database and logs stay in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    # Machine CPU not spent by the benchmark's own processes: other work disturbing the figures.
    wall = time.monotonic() - started
    others = max(0.0, (machine_busy_seconds() - busy) - (own_cpu_seconds() - own))
    result["seconds"] = round(wall, 1)
    result["other_processes_cpu_s"] = round(others, 1)
    result["other_processes_share"] = round(others / (wall * (os.cpu_count() or 1)), 3)
    if result["other_processes_share"] > 0.05:
        log(f"{size} datasets: other processes used {result['other_processes_share']:.0%} of the machine meanwhile")
    return result


def _bench_size_in(
    processes: Processes, size: int, base_env: dict[str, str], work: Path, result: dict[str, Any]
) -> dict[str, Any]:
    log(f"{size} datasets: starting the API stand-in")
    standin, url = start_standin(processes, size, work / "standin.log")
    try:
        env = {
            **base_env,
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "DATAGOUV_URL": url,
            "CATALOG_TOPIC": TOPIC_ID,
            "SYNC_LOCK_PATH": str(work / "sync.lock"),
            "TMPDIR": str(work),
            # Built exports stay with this size's database: none is served to the next size or left behind.
            "EXPORT_CACHE_DIR": str(work / "exports"),
        }
        log(f"{size} datasets: migrating a fresh SQLite database in {work}")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        has_full = "--full" in manage(env, "sync_catalog", "--help").stdout
        result["sync_full_flag"] = has_full

        log(f"{size} datasets: full sync")
        full = measure_sync(processes, env, url, ["--full"] if has_full else [], work / "sync-full.log")
        result["sync_full"] = full
        if "error" in full:
            result["errors"].append(f"full sync: {full['error']}")
            return result
        log(f"{size} datasets: unchanged sync")
        unchanged = measure_sync(processes, env, url, [], work / "sync-unchanged.log")
        result["sync_unchanged"] = unchanged
        if "error" in unchanged:
            result["errors"].append(f"unchanged sync: {unchanged['error']}")
    finally:
        processes.stop(standin)  # pages and gunicorn never call the API

    log(f"{size} datasets: page timings (test client)")
    pages_out = work / "pages.json"
    pages = run_measured(
        processes, [PYTHON, "-m", "bench.pages", "--out", str(pages_out)], env, work / "pages.log", timeout=3600
    )
    if pages_out.exists():
        result["pages"] = json.loads(pages_out.read_text(encoding="utf-8"))
        for mode in ("cache", "cold"):
            for name, value in result["pages"].get(mode, {}).items():
                if "error" in value:
                    result["errors"].append(f"page {name} ({mode}): {value['error']}")
    else:
        result["errors"].append(f"bench.pages failed (exit {pages['returncode']}): {pages['output'][-500:]}")

    if shutil.which("wrk"):
        throughput: dict[str, Any] = {}
        for name, settings_module, path in (
            ("search", "culture_portal.settings", SEARCH_PATH),
            ("bare", "bench.bare_settings", "/"),
        ):
            log(f"{size} datasets: throughput of {name} ({path}) under gunicorn")
            try:
                throughput[name] = measure_throughput(
                    processes, env, settings_module, path, work / f"gunicorn-{name}.log"
                )
                log(f"{size} datasets: {name}: {throughput[name]['rps']:.1f} req/s")
            except BenchError as exc:
                throughput[name] = {"error": str(exc)}
            if "error" in throughput[name]:
                result["errors"].append(f"throughput {name}: {throughput[name]['error']}")
        if throughput["search"].get("rps") and throughput["bare"].get("rps"):
            throughput["ratio"] = round(throughput["search"]["rps"] / throughput["bare"]["rps"], 4)
        result["throughput"] = throughput
        log(f"{size} datasets: load test ({LOAD_CLIENTS} clients while full syncs run)")
        try:
            result["load"] = measure_load(processes, env, size, work)
            if result["load"]["errors"]:
                result["errors"].append(f"load test: {result['load']['errors']} errors")
        except (BenchError, subprocess.TimeoutExpired) as exc:
            result["load"] = {"error": str(exc)}
            result["errors"].append(f"load test: {exc}")
    else:
        result["errors"].append("wrk is not installed: throughput not measured (make bench installs it)")
    from bench import abuse  # not at the top: bench.abuse imports this module

    if abuse.enabled():
        abuse.bench_abuse(processes, env, size, work, result)
    return result


# --- report -------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = ""
    memory_kb = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    os_name = platform.platform()
    try:
        release = dict(
            line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line
        )  # fmt: skip
        os_name = f"{release.get('PRETTY_NAME', '').strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cpu": cpu or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": os_name,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit.stdout.strip() or "unknown",
        "local_changes": bool(dirty.stdout.strip()),
    }


def _number(value: float, decimals: int = 1) -> str:
    return f"{value:,.{decimals}f}".replace(",", "\u202f")


def _figures(result: dict[str, Any]) -> dict[str, Any]:
    """The measured value behind each target (None when it could not be measured)."""
    full, unchanged = result.get("sync_full", {}), result.get("sync_unchanged", {})
    pages = result.get("pages", {})
    figures: dict[str, Any] = {
        "sync_full_seconds": full.get("wall_s") if "error" not in full else None,
        "sync_full_memory_mb": full.get("maxrss_mb") if "error" not in full else None,
        "sync_unchanged_requests": unchanged.get("requests") if unchanged and "error" not in unchanged else None,
        "sync_unchanged_seconds": unchanged.get("wall_s") if unchanged and "error" not in unchanged else None,
    }
    for name in ("home", "list", "search", "filtered", "observer", "dataset"):
        for mode in ("cache", "cold"):
            value = pages.get(mode, {}).get(name, {})
            figures[f"{name}_p95_ms[{mode}]"] = value.get("p95_ms")
    figures["throughput_ratio"] = result.get("throughput", {}).get("ratio")
    figures["load_errors"] = result.get("load", {}).get("errors")
    from bench import abuse  # not at the top: bench.abuse imports this module

    figures.update(abuse.figures(result))
    return figures


def status(key: str, value: Any) -> str:
    if value is None:
        return "❌"
    comparison, limit = TARGETS[key.split("[")[0]]
    ok = value <= limit if comparison == "≤" else value >= limit
    return "✅" if ok else "❌"


def _row(label: str, value: str, key: str | None = None, figure: Any = None) -> str:
    """A table row; with ``key``, the target and whether ``figure`` meets it."""
    if key is None:
        return f"| {label} | {value} | — | |"
    comparison, limit = TARGETS[key.split("[")[0]]
    units = {"seconds": " s", "memory_mb": " Mo", "requests": "", "p99_ratio": "×", "ms": " ms"}
    suffix = next((text for name, text in units.items() if name in key), "")
    shown = f"{limit:.0%}" if key == "throughput_ratio" else f"{limit:g}{suffix}"
    return f"| {label} | {value} | {comparison} {shown} | {status(key, figure)} |"


def _render_size(result: dict[str, Any]) -> list[str]:
    """The Markdown table of one catalogue size."""
    lines: list[str] = []
    size = result["size"]
    figures = _figures(result)
    full, unchanged = result.get("sync_full", {}), result.get("sync_unchanged", {})
    pages = result.get("pages", {})
    throughput = result.get("throughput", {})
    lines += [f"## {_number(size, 0)} jeux de données", ""]
    if "other_processes_share" in result:
        share = result["other_processes_share"]
        lines += [
            f"Mesuré en {_number(result['seconds'], 0)} s ; pendant ce temps, d'autres processus de la machine ont "
            f"consommé {_number(result['other_processes_cpu_s'], 0)} s de processeur ({share:.0%} de la machine)"
            + (" : chiffres perturbés, à refaire sur une machine au repos." if share > 0.05 else "."),
            "",
        ]
    lines += ["| Mesure | Valeur | Objectif | |", "|---|---|---|---|"]
    table: list[str] = []

    def row(label: str, value: str, key: str | None = None, figure: Any = None) -> None:
        table.append(_row(label, value, key, figure))

    flag = "`--full`" if result.get("sync_full_flag") else "(sans `--full`, option absente)"
    if full:
        row(f"Synchronisation complète {flag} : durée", f"{_number(full['wall_s'])} s",
            "sync_full_seconds", figures["sync_full_seconds"])  # fmt: skip
        row("Synchronisation complète : mémoire maximale", f"{_number(full['maxrss_mb'], 0)} Mo",
            "sync_full_memory_mb", figures["sync_full_memory_mb"])  # fmt: skip
        row("Synchronisation complète : requêtes à l'API", _number(full["requests"], 0))
        # The stand-in answers at once; the real API is a network round trip away for each request.
        row("Synchronisation complète : durée estimée à 100 ms de réseau par requête",
            f"{_number(full['wall_s'] + full['requests'] * NETWORK_DELAY)} s")  # fmt: skip
    if unchanged:
        row("Synchronisation inchangée (incrémentale) : durée", f"{_number(unchanged['wall_s'])} s",
            "sync_unchanged_seconds", figures["sync_unchanged_seconds"])  # fmt: skip
        row("Synchronisation inchangée : requêtes à l'API", _number(unchanged["requests"], 0),
            "sync_unchanged_requests", figures["sync_unchanged_requests"])  # fmt: skip
        row("Synchronisation inchangée : mémoire maximale", f"{_number(unchanged['maxrss_mb'], 0)} Mo")
    if "machine_ms" in pages:
        reference = pages["machine_ms"]
        row("Référence machine : boucle Python fixe, avant / après les pages (plus bas = machine plus rapide)",
            f"{_number(reference['before'])} / {_number(reference['after'])} ms")  # fmt: skip
    labels = {
        "home": ("Accueil `/`", "home_p95_ms"),
        "list": ("Liste avec facettes `/datasets/`", "list_p95_ms"),
        "search": ("Recherche, 20 requêtes `/datasets/?q=…`", "search_p95_ms"),
        "filtered": ("Recherche filtrée `?q=musee&category=musee&format=csv`", "filtered_p95_ms"),
        "observer": ("Recherche dans Observer, 20 requêtes `/observer/?q=…`", "observer_p95_ms"),
        "dataset": ("Fiche de jeu de données (10 fiches)", "dataset_p95_ms"),
    }
    for name, (label, key) in labels.items():
        for mode, mode_label in (("cache", "cache"), ("cold", "à froid")):
            value = pages.get(mode, {}).get(name)
            if value is None:
                continue
            if "error" in value:
                row(f"{label}, {mode_label} : p95", f"erreur : {value['error']}", f"{key}[{mode}]", None)
                continue
            shown = f"{_number(value['p95_ms'])} ms (p50 {_number(value['p50_ms'])} ms)"
            if mode == "cache" and "sql_queries_max" in value:
                shown += f" ; requêtes SQL : {value['sql_queries_max']}"
            row(f"{label}, {mode_label} : p95", shown, f"{key}[{mode}]", figures[f"{key}[{mode}]"])
    export_labels = {"dcat": "Page DCAT-AP de 500 jeux en Turtle", "csv": "Export CSV de tout le catalogue"}
    for name, label in export_labels.items():
        value = pages.get("exports", {}).get(name)
        if value is None:
            continue
        if "error" in value:
            row(label, f"erreur : {value['error']}")
            continue
        shown = f"construit en {_number(value['p50_ms'] / 1000, 2)} s (max {_number(value['max_ms'] / 1000, 2)} s)"
        if "served" in value:  # built once per catalogue version, then served from its file
            shown += f", servi ensuite en {_number(value['served']['p50_ms'])} ms"
        row(label, f"{shown}, {_number(value['bytes'] / 1e6)} Mo")
    for name, label in (("search", f"Débit de la recherche `{SEARCH_PATH}`"), ("bare", "Débit d'une vue nue")):
        value = throughput.get(name)
        if value is None:
            continue
        if "rps" not in value:
            row(label, f"erreur : {value.get('error')}")
            continue
        shown = f"{_number(value['rps'])} req/s"
        if "latency_p50_ms" in value:
            shown += f" (latence p50 {_number(value['latency_p50_ms'])} ms)"
        if value.get("error"):
            shown += f" — {value['error']}"
        row(label, shown)
    if throughput:
        ratio = throughput.get("ratio")
        row("Débit recherche / vue nue", f"{ratio:.1%}" if ratio is not None else "non mesuré",
            "throughput_ratio", ratio)  # fmt: skip
    load = result.get("load")
    if load:
        clients = load.get("clients", LOAD_CLIENTS)
        label = f"Charge : {clients} clients, pages mêlées, pendant des synchronisations complètes"
        if "rps" in load:
            syncs = load["syncs"]
            shown = (f"{_number(load['rps'])} req/s sur {load['seconds']} s, latence p50 "
                     f"{_number(load.get('latency_p50_ms', 0))} ms, p99 {_number(load.get('latency_p99_ms', 0))} ms ; "
                     f"{load['errors']} erreur(s) ; synchronisations : {syncs['started']} lancées, "
                     f"{syncs['finished']} terminées")  # fmt: skip
        else:
            shown = f"erreur : {load.get('error')}"
        row(label, shown, "load_errors", figures["load_errors"])
    lines += table
    from bench import abuse  # not at the top: bench.abuse imports this module

    lines += abuse.render(result)
    if result["errors"]:
        lines += ["", "Problèmes constatés :", ""] + [f"- {error}" for error in result["errors"]]
    lines.append("")
    return lines


def render(report: dict[str, Any]) -> str:
    info = report["machine"]
    lines = [
        "# Banc d'essai de culture.data.gouv.fr",
        "",
        f"- Date : {info['date']} ; commit `{info['commit']}`"
        + (" avec des modifications locales" if info["local_changes"] else ""),
        f"- Machine : {info['cpu']}, {info['cores']} cœurs, {_number(info['memory_gb'])} Go de RAM ; {info['os']}",
        f"- Python {info['python']}, SQLite {info['sqlite']} ; "
        f"durée totale du banc : {_number(report['seconds'], 0)} s",
        "- Code mesuré : une copie de l'arbre de travail prise au lancement du banc.",
        "- Catalogue synthétique (`tests/fakes/synthetic.py`, ≈ 7 fichiers par jeu, 1 % d'archivés) servi par la "
        "fausse API data.gouv.fr des tests (`tests/fakes/datagouv.py`) ; base SQLite neuve pour chaque taille.",
        "- Les objectifs portent sur 60 000 jeux de données ; pour les autres tailles ils sont indicatifs.",
        "- Pages : temps serveur mesuré dans le processus (client de test Django, connexions à la base gérées "
        "comme sous gunicorn) ; « cache » = cache Django tel que configuré, « à froid » = cache vidé avant "
        "chaque requête. Débit : gunicorn comme `make serve` (sans journal d'accès), `wrk -t2 -c20`, le "
        "générateur de charge partageant les cœurs du serveur.",
        "",
    ]
    for result in report["results"]:
        lines += _render_size(result)
    return "\n".join(lines)


def write_report(report: dict[str, Any]) -> None:
    for result in report["results"]:
        figures = _figures(result)
        result["checks"] = {key: {"value": value, "ok": status(key, value) == "✅"} for key, value in figures.items()}
    markdown = render(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(markdown, encoding="utf-8")
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown)


def main() -> int:
    if sys.argv[1:] == ["--render"]:  # rewrite latest.md from latest.json, without measuring anything
        write_report(json.loads((RESULTS / "latest.json").read_text(encoding="utf-8")))
        return 0
    sizes_text = os.environ.get("BENCH_SIZES", "").strip() or "1000,10000,60000"
    try:
        sizes = [int(part.replace("_", "")) for part in sizes_text.split(",") if part.strip()]
    except ValueError:
        print(f"BENCH_SIZES must be a comma-separated list of integers, got {sizes_text!r}", file=sys.stderr)
        return 2
    processes = Processes()

    def interrupted(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    base_env = {
        **os.environ,
        "SECRET_KEY": "bench",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "culture_portal.settings",
        "PYTHONUNBUFFERED": "1",
        "SAMPLE_FALLBACK": "0",
    }
    base_env.pop("DATABASE_URL", None)
    report: dict[str, Any] = {"machine": machine(), "sizes": sizes, "results": []}
    global APP
    app_folder = tempfile.mkdtemp(prefix="culture-bench-app-")
    try:
        APP = Path(app_folder)
        log(f"copying the working tree to {APP} ({snapshot(APP)} files)")
        log("collecting static files (the pages need the manifest with DEBUG=0)")
        manage(base_env, "collectstatic", "--noinput", "--verbosity", "0")
        for size in sizes:
            try:
                report["results"].append(bench_size(processes, size, base_env))
            except BenchError as exc:
                log(f"{size} datasets: FAILED: {exc}")
                report["results"].append({"size": size, "errors": [str(exc)]})
    except KeyboardInterrupt:
        log("interrupted: stopping every process and removing the temporary folders")
        processes.stop_all()
        return 130
    finally:
        processes.stop_all()
        APP = ROOT
        shutil.rmtree(app_folder, ignore_errors=True)
    report["seconds"] = round(time.monotonic() - STARTED, 1)
    write_report(report)
    log(f"done in {report['seconds']:.0f} s; results in {RESULTS.relative_to(ROOT)}/latest.md and latest.json")
    return 1 if any(result["errors"] for result in report["results"]) else 0


if __name__ == "__main__":
    # Run the module as bench.run, not as __main__: bench.abuse imports bench.run and must see the same
    # state (APP, the snapshot the benchmark runs in), not a second copy of this module.
    from bench import run

    sys.exit(run.main())
