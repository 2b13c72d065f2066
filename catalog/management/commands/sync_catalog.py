"""manage.py sync_catalog: thin wrapper around catalog.ingest.service.sync_catalog."""

import argparse
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.api.client import get_client
from catalog.ingest.run import SyncError, sections_to_sync
from catalog.ingest.service import sync_catalog
from catalog.management.progress import Progress


class Command(BaseCommand):
    help = "Fetch the datasets of every section's data.gouv.fr topic and replace the local catalogue."

    def add_arguments(self, parser):
        parser.add_argument("--dump", metavar="FILE", help="also write what was fetched to FILE (JSON Lines, .gz ok)")
        parser.add_argument("--from-dump", metavar="FILE", help="load FILE instead of calling the API")
        parser.add_argument("--dry-run", action="store_true", help="fetch and check, then roll everything back")
        parser.add_argument("--force", action="store_true", help="skip the guard against an ignored topic filter")
        parser.add_argument(
            "--topic", help=f"topic id of the first section (default: CATALOG_TOPIC = {settings.CATALOG_TOPIC})"
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--full",
            action="store_const",
            const="full",
            dest="mode",
            help="re-read the whole topic (default: "
            "only what changed since the last sync, unless the last full sync is older than SYNC_FULL_EVERY_HOURS)",
        )
        mode.add_argument(
            "--incremental",
            action="store_const",
            const="incremental",
            dest="mode",
            help="only what changed since the last sync, however old the last full sync",
        )

        parser.add_argument(
            "--every", type=float, metavar="MINUTES",
            help="keep running: sync, wait MINUTES, sync again… (a failed run is logged and the next one follows)",
        )  # fmt: skip
        parser.add_argument("--times", type=int, help=argparse.SUPPRESS)  # with --every: stop after N runs (tests)

    def handle(self, *args, **options):
        if options["every"] is None:
            self.sync_once(options)
            return
        if options["every"] <= 0 or options["from_dump"] or options["dump"]:
            raise CommandError("--every needs a positive number of minutes and cannot be combined with dumps")
        runs = 0
        while options["times"] is None or runs < options["times"]:
            runs += 1
            try:
                self.sync_once(options)
            except CommandError as exc:
                self.stderr.write(str(exc))  # the site keeps the last catalogue; the next run may succeed
            if options["times"] is None or runs < options["times"]:
                self.stdout.write(f"Next sync in {options['every']:g} minutes")
                time.sleep(options["every"] * 60)

    def sync_once(self, options):
        progress = Progress(self.stdout)
        if options["from_dump"] and options["dump"]:
            raise CommandError("--dump and --from-dump cannot be combined")
        try:
            if options["from_dump"]:
                report = sync_catalog(
                    from_dump=Path(options["from_dump"]), dry_run=options["dry_run"], progress=progress
                )
            else:
                with get_client() as client:
                    sections = ", ".join(
                        f"{plan.id} (topic {plan.topic})" for plan in sections_to_sync(options["topic"])
                    )
                    self.stdout.write(f"Syncing {sections} from {client.base_url}")
                    report = sync_catalog(
                        client=client,
                        dump_to=options["dump"],
                        topic=options["topic"],
                        force=options["force"],
                        dry_run=options["dry_run"],
                        mode=options["mode"] or "auto",
                        progress=progress,
                    )
        except SyncError as exc:
            progress.done()
            raise CommandError(f"Sync failed, the previous catalogue is unchanged: {exc}") from exc
        progress.done()
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for line in report.skipped_lines():
            self.stdout.write(self.style.WARNING(line))
        if options["dump"]:
            self.stdout.write(f"Dump written to {options['dump']}")
