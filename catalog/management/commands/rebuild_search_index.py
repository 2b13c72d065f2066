"""manage.py rebuild_search_index: re-index every dataset and re-read the vocabulary of suggestions
(after restoring a database by hand)."""

from django.core.management.base import BaseCommand

from catalog import search
from catalog.models import Dataset


class Command(BaseCommand):
    help = (
        "Rebuild the full-text index of the datasets (normally kept up to date by the database itself) and the "
        "vocabulary of search suggestions (normally rebuilt by each sync)."
    )

    def handle(self, *args, **options):
        search.rebuild_index()
        self.stdout.write(f"Search index rebuilt: {search.index_size()} entries for {Dataset.objects.count()} datasets")
        self.stdout.write(f"Vocabulary of suggestions rebuilt: {search.rebuild_vocabulary()} words")
