"""manage.py ensure_catalog: what `make run` calls before serving (never fails for a network error)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from catalog.ingest.service import ensure_catalog
from catalog.management.progress import Progress


class Command(BaseCommand):
    help = "Sync the catalogue if it is empty, sample data or older than --max-age hours; fall back to sample data."

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=float, default=24.0, help="hours (default 24)")

    def handle(self, *args, **options):
        progress = Progress(self.stdout)
        outcome = ensure_catalog(max_age=timedelta(hours=options["max_age"]), progress=progress)
        progress.done()
        self.stdout.write(outcome)
