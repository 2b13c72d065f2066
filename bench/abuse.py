"""The abuse section of ``make bench``: what cheap requests and hostile records do to the site.

Run by ``bench.run`` for each size, after the other parts, against that size's synced database:

1. **Junk-parameter flood**: gunicorn as in the other parts; the resident memory (VmRSS) of each
   worker after a warm-up, then after ``BENCH_ABUSE_URLS`` (1,000) distinct URLs of the list page
   that differ only by parameters the page ignores or rejects (junk names, junk values of real
   parameters, junk htmx headers), sent by a few clients. A page cache keyed by the raw URL keeps
   one rendered page per URL.
2. **Exports against browsing**: browsing latency (8 wrk clients on the load test's mix) alone for
   ``BENCH_ABUSE_SECONDS`` (30), then again while 8 more clients (threads here) fetch exports without
   pause (CSV of searches with junk parameters, DCAT pages in both formats and several sizes,
   sitemaps, feeds), none built beforehand. A 503 to an exporter is load shedding, not an error;
   every browsing error is one. gunicorn runs without recycling its workers here. Measured twice:
   behind nginx with the reference configuration (scripts/nginx-site.conf, the README's deployment:
   its per-address limit holds the exporters' extra requests), which the target judges, and gunicorn
   alone, for comparison. A 429 from nginx is load shedding too.
3. **Hostile records**: a full sync of the size's catalogue with ``HOSTILE_KINDS`` datasets mixed in
   (``python -m tests.fakes.datagouv --synthetic N --hostile K``) on a fresh database: every record stored,
   or left out on its own, and never the whole sync lost.

``BENCH_ABUSE=0`` skips the section. The figures go to ``result["abuse"]``; ``figures()`` and
``render()`` give ``bench.run`` the checks and the Markdown table.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import http.client
import itertools
import math
import os
import random
import re
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import run
from tests import nginx
from tests.fakes.synthetic import CATEGORY_TAGS, HOSTILE_KINDS, Catalogue

FLOOD_CLIENTS = 4
BROWSE_CLIENTS = 8
EXPORT_CLIENTS = 8
DCAT_PAGE_SIZES = (100, 500, 1000)
SITEMAP_LIMIT = 10_000  # URLs per sitemap file (catalog.exports.sitemaps.DatasetSitemap.limit)
_WRK_REQUESTS = re.compile(r"(\d+) requests in ")


def enabled() -> bool:
    return os.environ.get("BENCH_ABUSE", "").strip() != "0"


def bench_abuse(processes: run.Processes, env: dict[str, str], size: int, work: Path, result: dict[str, Any]) -> None:
    """The three parts, each on its own: one that fails is reported and the others still run."""
    abuse: dict[str, Any] = {}
    result["abuse"] = abuse
    parts = (
        ("flood", "junk-parameter flood", measure_flood),
        ("exports", "exports against browsing, behind nginx", functools.partial(measure_exports, proxy=True)),
        ("exports_direct", "exports against browsing, gunicorn alone", measure_exports),
        ("hostile", "hostile records", measure_hostile),
    )
    for name, label, measure in parts:
        if name.startswith("exports") and not shutil.which("wrk"):
            abuse[name] = {"error": "wrk is not installed"}
        elif name == "exports" and not nginx.executable():
            abuse[name] = {"error": "nginx is not installed"}
        else:
            run.log(f"{size} datasets: abuse: {label}")
            try:
                abuse[name] = measure(processes, env, size, work)
            except Exception as exc:  # a part that breaks is a finding of the report, not the end of the benchmark
                abuse[name] = {"error": f"{exc.__class__.__name__}: {exc}"}
        if "error" in abuse[name]:
            result["errors"].append(f"abuse, {label}: {abuse[name]['error']}")
    flood = abuse["flood"]
    if flood.get("failed"):
        result["errors"].append(f"abuse, junk-parameter flood: {flood['failed']} non-2xx responses or errors")
    for name in ("exports", "exports_direct"):
        if abuse[name].get("hammered", {}).get("errors"):
            errors = abuse[name]["hammered"]["errors"]
            result["errors"].append(f"abuse, browsing under exports ({name}): {errors} errors")


# --- gunicorn ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _gunicorn(processes: run.Processes, env: dict[str, str], log_path: Path, *options: str):
    """gunicorn as the other parts run it, plus ``options``; yields (master process, base URL, command)."""
    port = run.free_port()
    command = [*run.gunicorn_command(port), *options]  # on the command line, they win over the config file
    with open(log_path, "w", encoding="utf-8") as server_log:
        server = processes.start(command, env=env, stdout=server_log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        run.wait_until_up(url + "/", server)
        yield server, url, " ".join(command).replace(str(run.ROOT) + "/", "")
    finally:
        processes.stop(server)


@contextlib.contextmanager
def _behind_nginx(processes: run.Processes, upstream: str, folder: Path):
    """nginx with the reference configuration (scripts/nginx-site.conf) in front of ``upstream``; yields its URL."""
    port = run.free_port()
    main = nginx.write(folder, upstream.removeprefix("http://"), port)
    with open(folder / "nginx.log", "w", encoding="utf-8") as log:
        proxy = processes.start(nginx.command(main), stdout=log, stderr=subprocess.STDOUT)
    try:
        nginx.wait_until_listening(port, proxy)
        yield f"http://127.0.0.1:{port}"
    finally:
        processes.stop(proxy)


def worker_pids(master: int) -> list[int]:
    """The children of gunicorn's master: its workers (not the export builder it starts beside them)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        # pid (comm) state ppid …: comm may hold spaces and parentheses, so split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) != master:
            continue
        with contextlib.suppress(OSError):
            if b"build_exports" not in (entry / "cmdline").read_bytes():
                children.append(int(entry.name))
    return sorted(children)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)  # kB
    except OSError:
        pass
    return None


def _expected_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY", "2"))


def _wait_for_workers(master: int, timeout: float = 30.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while True:
        pids = worker_pids(master)
        if len(pids) >= _expected_workers() or time.monotonic() > deadline:
            return pids
        time.sleep(0.2)


def _get(base: str, path: str, headers: dict[str, str] | None = None, timeout: float = 60.0) -> int:
    """GET base+path, the body read to its end; the status."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        while response.read(1 << 20):  # to the end, a megabyte at a time, dropped
            pass
        return response.status
    finally:
        connection.close()


def _warm_up(url: str, paths: list[str], rounds: int = 3) -> int:
    """Each path a few times from a few clients, so that every worker has most likely rendered each page."""
    requests = paths * rounds
    with concurrent.futures.ThreadPoolExecutor(FLOOD_CLIENTS) as pool:
        list(pool.map(lambda path: _get(url, path), requests))
    return len(requests)


# --- 1. junk-parameter flood ------------------------------------------------------------------------


def junk_requests(count: int, seed: int = 10) -> list[tuple[str, dict[str, str]]]:
    """``count`` distinct (path, headers) of the list page, each a page the site already knows."""
    rng = random.Random(seed)
    requests = []
    for number in range(count):
        token = f"{number}{rng.getrandbits(40):x}"
        variant = number % 5
        headers: dict[str, str] = {}
        if variant == 0:  # a parameter the page does not know
            query = {"q": "musee", f"junk{number}": token}
        elif variant == 1:  # a page number that is not one
            query = {"q": "musee", "page": f"abc{token}"}
        elif variant == 2:  # a sort the page does not offer, and a tracking parameter
            query = {"q": "musee", "sort": f"zzz{token}", "utm_source": token}
        elif variant == 3:  # an htmx request with made-up target and trigger
            query = {"category": "musee", f"junk{number}": token}
            headers = {"HX-Request": "true", "HX-Target": f"cible-{token}", "HX-Trigger": f"declencheur-{token}"}
        else:  # an unknown format and facet value
            query = {"q": "musee", "format": f"fmt{token}", "category": f"cat{token}"}
        requests.append(("/datasets/?" + urlencode(query), headers))
    return requests


def measure_flood(processes: run.Processes, env: dict[str, str], size: int, work: Path) -> dict[str, Any]:
    count = int(os.environ.get("BENCH_ABUSE_URLS", "1000"))
    warm_up = run.load_paths(work / "db.sqlite3")
    with _gunicorn(processes, env, work / "gunicorn-abuse-flood.log") as (server, url, gunicorn):
        pids = _wait_for_workers(server.pid)
        warm_up_requests = _warm_up(url, warm_up)
        time.sleep(0.5)
        before = {pid: rss_mb(pid) for pid in pids}
        statuses: dict[str, int] = {}
        failures: list[str] = []
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(FLOOD_CLIENTS) as pool:
            futures = [pool.submit(_get, url, path, headers) for path, headers in junk_requests(count)]
            for future in futures:
                try:
                    status = str(future.result())
                except (OSError, http.client.HTTPException) as exc:
                    status = "error"
                    if len(failures) < 3:
                        failures.append(f"{exc.__class__.__name__}: {exc}")
                statuses[status] = statuses.get(status, 0) + 1
        seconds = time.perf_counter() - started
        time.sleep(0.5)
        after_pids = worker_pids(server.pid)
        after = {pid: rss_mb(pid) for pid in after_pids}
    workers = []
    for pid in pids:
        rss_before, rss_after = before.get(pid), after.get(pid)
        growth = round(rss_after - rss_before, 1) if rss_before is not None and rss_after is not None else None
        workers.append({"pid": pid, "rss_before_mb": rss_before, "rss_after_mb": rss_after, "growth_mb": growth})
    measured = [worker["growth_mb"] for worker in workers if worker["growth_mb"] is not None]
    result: dict[str, Any] = {
        "gunicorn": gunicorn,
        "urls": count,
        "clients": FLOOD_CLIENTS,
        "warm_up_requests": warm_up_requests,
        "seconds": round(seconds, 1),
        "workers": workers,
        # A worker replaced meanwhile (max_requests, a crash) took its memory with it: its growth is unknown.
        "replaced": [pid for pid in pids if pid not in after_pids],
        "max_growth_mb": max(measured) if measured else None,
        "statuses": statuses,
        "failed": sum(number for status, number in statuses.items() if not status.startswith("2")),
    }
    if failures:
        result["failures"] = failures
    if result["replaced"]:
        result["max_growth_mb"] = None
        result["note"] = (
            f"worker(s) {result['replaced']} replaced during the flood (max_requests?): growth not measured"
        )
    return result


# --- 2. exports against browsing --------------------------------------------------------------------


def export_paths(database: Path) -> list[str]:
    """What a careless harvester or a scraper fetches again and again: every kind of export.

    "JUNK" in a path becomes the request's number: each CSV asked for is a new URL.
    """
    with contextlib.closing(sqlite3.connect(database)) as connection:
        (published,) = connection.execute(
            "SELECT count(*) FROM catalog_dataset WHERE withdrawn_at IS NULL AND archived_at IS NULL"
        ).fetchone()
    searches = [{}, {"q": "musee"}, {"category": "cinema"}, {"q": "patrimoine", "format": "csv"}]
    csv = ["/datasets.csv?" + urlencode({**search, "junk": "JUNK"}) for search in searches]
    dcat = [
        f"/catalogue.{suffix}?" + urlencode({"page": page, "page_size": page_size})
        for page in range(1, 4)
        for page_size in DCAT_PAGE_SIZES
        for suffix in ("jsonld", "ttl")
        if page <= math.ceil(published / page_size)
    ]
    sitemaps = ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-organizations.xml"]
    sitemaps += [f"/sitemap-datasets.xml?p={page}" for page in range(1, math.ceil(published / SITEMAP_LIMIT) + 1)]
    feeds = ["/feeds/datasets.atom"] + [f"/feeds/categories/{slug}.atom" for slug in CATEGORY_TAGS]
    # Taken in turn, so that a short run (a few slow CSVs) still asks for every kind of export.
    kinds = [csv, dcat, sitemaps, feeds]
    return [kind[turn] for turn in range(max(map(len, kinds))) for kind in kinds if turn < len(kind)]


class Hammer:
    """``clients`` threads fetching ``paths`` in turn, bodies read to the end and dropped, until stopped.

    In Python rather than wrk: telling a 503 from another error takes a wrk ``response()`` callback,
    and with it wrk copies every body (megabytes of CSV or DCAT) into Lua, its CPU taken from the site.
    """

    def __init__(self, url: str, paths: list[str], clients: int) -> None:
        self.url, self.paths = url, paths
        self.statuses: dict[str, int] = {}
        self.failures: list[str] = []
        self._numbers = itertools.count()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]
        self.seconds = 0.0

    def _client(self) -> None:
        while not self._stop.is_set():
            number = next(self._numbers)
            path = self.paths[number % len(self.paths)].replace("JUNK", str(number))
            try:
                status = str(_get(self.url, path, timeout=60.0))
            except (OSError, http.client.HTTPException) as exc:
                status = "error"
                with self._lock:
                    if len(self.failures) < 3:
                        self.failures.append(f"{path}: {exc.__class__.__name__}: {exc}")
            with self._lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1

    def __enter__(self) -> Hammer:
        self._started = time.perf_counter()
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop asking; the requests under way finish (60 s at most each)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=90)
        self.seconds = time.perf_counter() - self._started

    def result(self) -> dict[str, Any]:
        statuses = dict(sorted(self.statuses.items()))
        ok = sum(count for status, count in statuses.items() if status.startswith("2"))
        # 503: the site sheds the load (« en préparation », builder busy); 429: nginx's limit per address.
        shed = statuses.get("503", 0) + statuses.get("429", 0)
        result = {
            "clients": len(self._threads),
            "paths": len(self.paths),
            "requests": sum(statuses.values()),
            "seconds": round(self.seconds, 1),
            "statuses": statuses,
            "ok": ok,
            "shed": shed,
            "errors": sum(statuses.values()) - ok - shed,
        }
        if self.failures:
            result["failures"] = self.failures
        return result


def _wrk_command(clients: int, seconds: int, script: Path, url: str) -> list[str]:
    return ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s", "--latency", "-s", str(script), url]


def _browse(command: list[str], timeout: float) -> dict[str, Any]:
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    result = run._parse_wrk(completed, command)
    match = _WRK_REQUESTS.search(completed.stdout)
    result["requests"] = int(match.group(1)) if match else None
    result["errors"] = result["non_2xx"] + result["socket_errors"]
    return result


def measure_exports(
    processes: run.Processes, env: dict[str, str], size: int, work: Path, *, proxy: bool = False
) -> dict[str, Any]:
    """Browsing alone, then while exporters hammer; ``proxy``: both through nginx as the README deploys it."""
    seconds = int(os.environ.get("BENCH_ABUSE_SECONDS", "30"))
    database = work / "db.sqlite3"
    script = run.wrk_script(run.load_paths(database), work / "abuse-browse.lua")
    exports = export_paths(database)
    log_path = work / f"gunicorn-abuse-exports{'-proxied' if proxy else ''}.log"
    timeout = seconds + 120
    # Each run starts from no export at all: their construction falls in the measure, as after a sync.
    shutil.rmtree(Path(env.get("EXPORT_CACHE_DIR", work / "exports")), ignore_errors=True)
    # Workers recycled after max_requests (1,000 + jitter) would restart, cold, every few seconds of wrk:
    # the idle p99 would measure those restarts instead of browsing, and hide what the exports do.
    with contextlib.ExitStack() as stack:
        _, url, gunicorn = stack.enter_context(_gunicorn(processes, env, log_path, "--max-requests", "0"))
        if proxy:
            url = stack.enter_context(_behind_nginx(processes, url, work / "nginx"))
        # Until every worker has every page of the mix in its cache: the two runs compare warm pages.
        _browse(_wrk_command(BROWSE_CLIENTS, 5, script, url), timeout)
        command = _wrk_command(BROWSE_CLIENTS, seconds, script, url)
        idle = _browse(command, timeout)
        run.log(f"{size} datasets: abuse: browsing alone p99 {idle.get('latency_p99_ms')} ms; now with exporters")
        with Hammer(url, exports, EXPORT_CLIENTS) as hammer:
            hammered = _browse(command, timeout)
    exporters = hammer.result()
    ratio = None
    # wrk times finished requests only: with none finished, there is no p99 to compare (not a good one).
    if idle.get("latency_p99_ms") and hammered.get("requests") and hammered.get("latency_p99_ms") is not None:
        ratio = round(hammered["latency_p99_ms"] / idle["latency_p99_ms"], 2)
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    return {
        "gunicorn": gunicorn,
        "seconds": seconds,
        "browse_clients": BROWSE_CLIENTS,
        "export_clients": EXPORT_CLIENTS,
        "idle": idle,
        "hammered": hammered,
        "exporters": exporters,
        "p99_ratio": ratio,
        # gunicorn kills a worker stuck on one request past its timeout: a sign of a build too slow.
        "worker_timeouts": log_text.count("WORKER TIMEOUT"),
    }


# --- 3. hostile records -------------------------------------------------------------------------------

_LEFT_OUT = re.compile(r"(\d+) records left out")


def measure_hostile(processes: run.Processes, env: dict[str, str], size: int, work: Path) -> dict[str, Any]:
    hostile = len(HOSTILE_KINDS)
    folder = work / "hostile"
    folder.mkdir(exist_ok=True)
    database = folder / "db.sqlite3"
    standin, url = run.start_standin(processes, size, folder / "standin.log", hostile=hostile)
    try:
        sync_env = {**env, "DATABASE_URL": f"sqlite:///{database}", "DATAGOUV_URL": url,
                    "SYNC_LOCK_PATH": str(folder / "sync.lock")}  # fmt: skip
        run.manage(sync_env, "migrate", "--noinput", "--verbosity", "0")
        sync = run.measure_sync(processes, sync_env, url, ["--full"], folder / "sync.log")
    finally:
        processes.stop(standin)
    # Every dataset of the topic, archived ones included, is expected in the database: by its id.
    catalogue = Catalogue(size, hostile=hostile)
    expected = {catalogue.dataset_id(index) for index in range(catalogue.total)}
    hostile_ids = {catalogue.dataset_id(index) for index in range(size, catalogue.total)}
    with contextlib.closing(sqlite3.connect(database)) as connection:
        stored = {remote_id for (remote_id,) in connection.execute("SELECT remote_id FROM catalog_dataset")}
    left_out = _LEFT_OUT.search(sync["summary"])
    return {
        "hostile": hostile,
        "kinds": list(HOSTILE_KINDS),
        "tried": catalogue.total,
        "expected": len(expected),
        "stored": len(stored & expected),
        "hostile_stored": len(stored & hostile_ids),
        "lost": len(expected - stored),
        "unexpected": len(stored - expected),
        "left_out": int(left_out.group(1)) if left_out else 0 if sync["returncode"] == 0 else None,
        "sync": sync,
    }


# --- report -------------------------------------------------------------------------------------------


def figures(result: dict[str, Any]) -> dict[str, Any]:
    """The measured value behind each abuse target (None when it could not be measured)."""
    abuse = result.get("abuse")
    if not abuse:
        return {}
    flood, exports, hostile = abuse.get("flood", {}), abuse.get("exports", {}), abuse.get("hostile", {})
    exporters = exports.get("exporters", {})
    return {
        "abuse_flood_memory_mb": flood.get("max_growth_mb"),
        "abuse_flood_errors": flood.get("failed"),
        "abuse_browse_p99_ratio": exports.get("p99_ratio"),
        "abuse_browse_errors": exports.get("hammered", {}).get("errors"),
        "abuse_export_errors": exporters.get("errors"),
        # Datasets outside the topic in the database: the sync read something else, nothing to judge.
        "abuse_hostile_lost": hostile.get("lost") if not hostile.get("unexpected") else None,
    }


def _mb(value: float | None) -> str:
    return "?" if value is None else f"{run._number(value, 0)}"


def _render_exports(row, exports: dict[str, Any], where: str, keys: tuple) -> None:
    number = run._number
    idle, hammered, exporters = exports["idle"], exports["hammered"], exports["exporters"]

    def browsing(run_: dict[str, Any]) -> str:
        return (f"p50 {number(run_.get('latency_p50_ms', 0))} ms, p99 {number(run_.get('latency_p99_ms', 0))} ms ; "
                f"{number(run_['rps'])} req/s ; {run_['errors']} erreur(s)")  # fmt: skip

    clients = f"{exports['browse_clients']} clients, pages mêlées, {exports['seconds']} s"
    row(f"Navigation seule, {where} ({clients})", browsing(idle))
    ratio = exports["p99_ratio"]
    row(
        f"Navigation pendant {exports['export_clients']} clients d'exports, {where} : p99 / p99 seule",
        (f"{number(ratio, 2)}×" if ratio is not None else "non mesuré") + f" ({browsing(hammered)})",
        keys[0],
    )
    row(f"Navigation pendant les exports, {where} : erreurs", str(hammered["errors"]), keys[1])
    statuses = exporters["statuses"]
    row(f"Exports martelés, {where} ({exports['export_clients']} clients, {exporters['paths']} URL : CSV avec "
        "paramètres parasites, DCAT, sitemaps, flux) : erreurs hors 503 et 429",
        f"{exporters['errors']} ; {number(exporters['requests'], 0)} requêtes, {number(exporters['ok'], 0)} en 2xx, "
        f"{number(statuses.get('503', 0), 0)} en 503 et {number(statuses.get('429', 0), 0)} en 429 (délestage "
        f"accepté) ; processus gunicorn tués (WORKER TIMEOUT) : {exports['worker_timeouts']}", keys[2])  # fmt: skip


def render(result: dict[str, Any]) -> list[str]:
    """The Markdown "Abus" table of one size (nothing when the section did not run)."""
    abuse = result.get("abuse")
    if not abuse:
        return []
    checks = figures(result)
    number = run._number
    table = ["### Abus", "", "| Mesure | Valeur | Objectif | |", "|---|---|---|---|"]

    def row(label: str, value: str, key: str | None = None) -> None:
        table.append(run._row(label, value, key, checks.get(key) if key else None))

    flood = abuse.get("flood", {})
    label = "Paramètres parasites"
    if "error" in flood:
        row(f"{label} : mémoire par processus gunicorn", f"erreur : {flood['error']}", "abuse_flood_memory_mb")
    elif flood:
        workers = " ; ".join(
            f"{_mb(worker['rss_before_mb'])} → {_mb(worker['rss_after_mb'])} Mo"
            + (f" (+{number(worker['growth_mb'])})" if worker["growth_mb"] is not None else "")
            for worker in flood["workers"]
        )
        growth = flood["max_growth_mb"]
        shown = f"{workers} ; plus forte hausse {'non mesurée' if growth is None else f'{number(growth)} Mo'}"
        if flood.get("note"):
            shown += f" ({flood['note']})"
        row(f"{label} : {number(flood['urls'], 0)} URL distinctes de `/datasets/` ({flood['clients']} clients), "
            "mémoire de chaque processus gunicorn", shown, "abuse_flood_memory_mb")  # fmt: skip
        statuses = ", ".join(f"{status} : {count}" for status, count in sorted(flood["statuses"].items()))
        row(f"{label} : réponses autres que 2xx ou erreurs", f"{flood['failed']} ({statuses})", "abuse_flood_errors")
    for name, where in (("exports", "derrière nginx (`scripts/nginx-site.conf`)"), ("exports_direct", "gunicorn seul")):
        exports = abuse.get(name, {})
        # The target is for the site as deployed (behind the proxy); gunicorn alone is shown for comparison.
        keys = ("abuse_browse_p99_ratio", "abuse_browse_errors", "abuse_export_errors")
        if name != "exports":
            keys = (None, None, None)
        if "error" in exports:
            label = f"Navigation pendant des exports, {where} : p99 / p99 au repos"
            row(label, f"erreur : {exports['error']}", keys[0])
        elif exports:
            _render_exports(row, exports, where, keys)
    hostile = abuse.get("hostile", {})
    label = "Enregistrements hostiles : jeux perdus"
    if "error" in hostile:
        row(label, f"erreur : {hostile['error']}", "abuse_hostile_lost")
    elif hostile:
        sync = hostile["sync"]
        outcome = "synchronisation réussie"
        if sync["returncode"] != 0:  # the last line of its output says why
            reason = sync.get("error", "").rsplit(" / ", 1)[-1][:300].replace("|", "\\|")
            outcome = f"synchronisation échouée (code {sync['returncode']}) : {reason}"
        left_out = "?" if hostile["left_out"] is None else hostile["left_out"]
        row(f"{label} (synchronisation `--full` de {number(result['size'], 0)} jeux + {hostile['hostile']} hostiles)",
            f"{hostile['lost']} ; {number(hostile['stored'], 0)} stockés sur {number(hostile['expected'], 0)} "
            f"attendus, dont {hostile['hostile_stored']} hostiles sur {hostile['hostile']} ; {left_out} écartés ; "
            + (f"{number(hostile['unexpected'], 0)} jeux inattendus ; " if hostile.get("unexpected") else "")
            + outcome, "abuse_hostile_lost")  # fmt: skip
    return ["", *table]
