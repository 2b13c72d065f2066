"""Full-text index: stemmed search fields, the FTS5 table (SQLite) or tsvector column (PostgreSQL)."""

from django.db import migrations, models

from catalog import labels
from catalog.search import backends, text


def recompute_search_fields(apps, schema_editor):
    """Search fields now hold meaningful words only, padded with spaces; titles sort on their own field."""
    Dataset = apps.get_model("catalog", "Dataset")
    for dataset in Dataset.objects.select_related("organization").prefetch_related("tags").iterator(chunk_size=500):
        tags = [tag.name for tag in dataset.tags.all()]
        tags += [category.label for category in labels.CATEGORIES if category.slug in tags] + dataset.formats.split()
        organization = dataset.organization
        fields = text.document(
            title=dataset.title,
            acronym=dataset.acronym,
            tags=tags,
            publisher=organization.name if organization else dataset.owner_name,
            publisher_acronym=organization.acronym if organization else "",
            summary=dataset.description_short,
            description=dataset.description,
        )
        fields["sort_title"] = text.fold(dataset.title)[:200]
        Dataset.objects.filter(pk=dataset.pk).update(**fields)


def install_index(apps, schema_editor):
    backends.for_vendor(schema_editor.connection.vendor).install()


def uninstall_index(apps, schema_editor):
    backends.for_vendor(schema_editor.connection.vendor).uninstall()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_syncrun_topic"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataset",
            name="sort_title",
            field=models.CharField(blank=True, db_index=True, max_length=200),
        ),
        migrations.RunPython(recompute_search_fields, migrations.RunPython.noop),
        migrations.RunPython(install_index, uninstall_index),
    ]
