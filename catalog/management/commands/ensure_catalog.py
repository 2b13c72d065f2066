"""manage.py ensure_catalog: what `make run` calls before serving (never fails for a network error)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from catalog.sync import ensure_catalog


class Command(BaseCommand):
    help = "Sync the catalogue if it is empty, sample data or older than --max-age hours; fall back to sample data."

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=float, default=24.0, help="hours (default 24)")

    def handle(self, *args, **options):
        interactive = self.stdout.isatty()

        def progress(message: str) -> None:
            if interactive:
                self.stdout.write(f"\r\033[K{message}", ending="")
                self.stdout.flush()

        outcome = ensure_catalog(max_age=timedelta(hours=options["max_age"]), progress=progress)
        if interactive:
            self.stdout.write("")
        self.stdout.write(outcome)
