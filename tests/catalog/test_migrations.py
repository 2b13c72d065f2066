"""Migrations that move data: what a database synced before them holds after them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalog.models import Dataset

BEFORE_TAG_NAMES = [("catalog", "0010_sections")]
TAG_NAMES = [("catalog", "0011_dataset_tag_names")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_datasets_synced_before_tag_names_were_stored_get_them_from_their_tag_links():
    apps = _migrate(BEFORE_TAG_NAMES)
    try:
        OldDataset, Tag = apps.get_model("catalog", "Dataset"), apps.get_model("catalog", "Tag")
        tagged = OldDataset.objects.create(remote_id="a" * 24, slug="musees", title="Musées")
        OldDataset.objects.create(remote_id="b" * 24, slug="sans-mot-cle", title="Sans mot-clé")
        tagged.tags.add(Tag.objects.create(name="patrimoine"), Tag.objects.create(name="musee"))
        _migrate(TAG_NAMES)
        assert Dataset.objects.get(slug="musees").tag_names == ["musee", "patrimoine"]
        assert Dataset.objects.get(slug="sans-mot-cle").tag_names == []
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
