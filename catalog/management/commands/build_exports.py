"""manage.py build_exports: the export builder (catalog.exports.builder), started by gunicorn beside its workers."""

import os
import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.exports import builder


class Command(BaseCommand):
    help = "Build the exports web requests queued (CSV, DCAT, sitemaps, feeds), at the lowest CPU priority."

    def add_arguments(self, parser):
        parser.add_argument("--parent", type=int, help="stop when this process (gunicorn's master) is gone")
        parser.add_argument("--once", action="store_true", help="build what is queued now, then stop")

    def handle(self, *args, parent=None, once=False, **options):
        if parent is not None and not settings.EXPORT_BUILDER:
            return  # started by gunicorn, but the host's builder runs elsewhere
        os.nice(19)  # a build only takes the CPU the pages leave
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        signal.signal(signal.SIGINT, lambda *_: stopping.append(True))

        def stop() -> bool:
            if stopping or (parent is not None and os.getppid() != parent):
                return True
            return once and not builder.pending()

        try:
            builder.run(stop=stop)
        except builder.BuilderRunning as error:
            raise CommandError(f"another export builder runs on this host (it holds {error})") from None
