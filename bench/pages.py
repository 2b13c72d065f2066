"""Server time of the portal's pages, in-process with Django's test client.

Run by ``bench.run`` with the benchmark's environment (DATABASE_URL, DEBUG=0…) against a synced
database; writes its measurements as JSON to ``--out``. Every page is warmed up, then timed
``--runs`` times; the 20 search queries are pooled (``--query-runs`` each). Each group is measured
twice: with the cache as configured ("cache"), and with every Django cache cleared before each
timed request ("cold"). Every response must be a 200: a group with another status is reported as an
error instead of timings.

Database connections are handled as under gunicorn: Django's request signals close them or keep
them according to the settings (``CONN_MAX_AGE``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

QUERIES = (
    "musees",
    "MUSÉE",
    "monument historique",
    "cinéma entrées 2023",
    "bibliotheque rennes",
    "archives départementales",
    "spectacle vivant",
    "festival musique",
    "presse",
    "patrimoine",
    "fréquentation",
    "langues régionales",
    "livre",
    "architecture",
    "opéra",
    "théâtre",
    "ciném",
    "musee lyon",
    "bibliothèques",
    "arts plastiques",
)
FILTERED = "/datasets/?" + urlencode({"q": "musee", "category": "musee", "format": "csv"})
DATASET_PAGES = 10


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summarize(samples: list[float]) -> dict[str, Any]:
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 0.50) * 1000, 2),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 2),
        "mean_ms": round(sum(samples) / len(samples) * 1000, 2),
        "max_ms": round(max(samples) * 1000, 2),
    }


def machine_reference() -> float:
    """Milliseconds of a fixed pure-Python loop, best of five: this machine runs the same code up to twice as fast
    at one moment as at another, and the pages' timings are read against it."""
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        sum(i * i for i in range(200_000))
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 2)


def log(message: str) -> None:
    print(f"  pages: {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON results")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "30")))
    parser.add_argument("--query-runs", type=int, default=int(os.environ.get("BENCH_QUERY_RUNS", "10")))
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--export-runs", type=int, default=int(os.environ.get("BENCH_EXPORT_RUNS", "3")))
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "culture_portal.settings")
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Dataset

    # Not setup_test_environment(): it instruments template rendering, which would slow every page.
    client = Client(HTTP_HOST="localhost")
    slugs = list(Dataset.objects.order_by("pk").values_list("slug", flat=True))
    step = max(1, len(slugs) // DATASET_PAGES)
    chosen = slugs[step // 2 :: step][:DATASET_PAGES]
    groups: list[tuple[str, list[str], int]] = [
        ("home", ["/"], args.runs),
        ("list", ["/datasets/"], args.runs),
        ("search", ["/datasets/?" + urlencode({"q": query}) for query in QUERIES], args.query_runs),
        ("filtered", [FILTERED], args.runs),
        # The second section (Observer): the same words searched in its list, with its own facets.
        ("observer", ["/observer/?" + urlencode({"q": query}) for query in QUERIES], args.query_runs),
        ("dataset", [f"/datasets/{slug}/" for slug in chosen], max(1, math.ceil(args.runs / max(1, len(chosen))))),
    ]
    results: dict[str, Any] = {"datasets_in_db": len(slugs), "dataset_urls": [url for url in groups[-1][1]]}

    def fetch(url: str) -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code} on {url}")
        return response

    results["machine_ms"] = {"before": machine_reference()}
    for mode in ("cache", "cold"):
        results[mode] = {}
        for name, urls, runs in groups:
            if not urls:
                results[mode][name] = {"error": "no URL (empty catalogue?)"}
                continue
            try:
                for _ in range(args.warmup):
                    for url in urls:
                        fetch(url)
                samples: list[float] = []
                for _ in range(runs):
                    for url in urls:  # round robin: the same URL is not asked twice in a row
                        if mode == "cold":
                            for cache in caches.all():
                                cache.clear()
                        start = time.perf_counter()
                        fetch(url)
                        samples.append(time.perf_counter() - start)
                summary = summarize(samples)
                summary["urls"] = len(urls)
                if mode == "cache":
                    # SQL queries of one more request per URL (untimed): a hint when a page is slow.
                    counts = []
                    for url in urls:
                        with CaptureQueriesContext(connection) as queries:
                            fetch(url)
                        counts.append(len(queries))
                    summary["sql_queries_max"] = max(counts)
                results[mode][name] = summary
                log(f"{mode:5} {name:8} p50 {summary['p50_ms']:8.1f} ms  p95 {summary['p95_ms']:8.1f} ms")
            except Exception as exc:  # recorded, the other groups still run
                results[mode][name] = {"error": f"{exc.__class__.__name__}: {exc}"}
                log(f"{mode:5} {name:8} FAILED: {exc}")
    results["machine_ms"]["after"] = machine_reference()
    reference = results["machine_ms"]
    log(f"machine reference {reference['before']} ms before the pages, {reference['after']} ms after")
    # Exports are built once per catalogue version, then served from a file (catalog.exports.store): each run
    # times a build (the export store emptied first), then serving the stored file. The DCAT page is one
    # from the middle.
    from django.conf import settings as django_settings

    middle = max(1, math.ceil(len(slugs) / 500) // 2)
    results["exports"] = {}
    for name, url in (("dcat", f"/catalogue.ttl?page={middle}"), ("csv", "/datasets.csv")):
        try:
            built, served, size = [], [], 0
            for _ in range(args.export_runs):
                shutil.rmtree(django_settings.EXPORT_CACHE_DIR, ignore_errors=True)
                for samples in (built, served):
                    start = time.perf_counter()
                    response = fetch(url)
                    size = len(b"".join(response.streaming_content))
                    response.close()
                    samples.append(time.perf_counter() - start)
            results["exports"][name] = summarize(built) | {"url": url, "bytes": size, "served": summarize(served)}
            log(f"export {name:8} built p50 {results['exports'][name]['p50_ms']:8.1f} ms, "
                f"served p50 {results['exports'][name]['served']['p50_ms']:6.1f} ms  {size / 1e6:.1f} MB")  # fmt: skip
        except Exception as exc:
            results["exports"][name] = {"error": f"{exc.__class__.__name__}: {exc}"}
            log(f"export {name:8} FAILED: {exc}")
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    groups_run = ("cache", "cold", "exports")
    failed = [name for mode in groups_run for name, value in results[mode].items() if "error" in value]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
