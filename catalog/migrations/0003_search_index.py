"""Long texts move to DatasetText; search fields hold stemmable words; the full-text index is created.

Lists and counts scan ``catalog_dataset``: without its long texts (descriptions, raw payload),
its rows stay small. The index lives on ``catalog_datasettext`` (catalog.search.backends).
"""

import django.db.models.deletion
from django.db import migrations, models

from catalog import labels
from catalog.search import backends, text


def move_texts(apps, schema_editor):
    Dataset = apps.get_model("catalog", "Dataset")
    DatasetText = apps.get_model("catalog", "DatasetText")
    batch = []
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
        Dataset.objects.filter(pk=dataset.pk).update(sort_title=text.fold(dataset.title)[:200])
        batch.append(
            DatasetText(
                dataset_id=dataset.pk,
                description=dataset.description,
                description_html=dataset.description_html,
                raw=dataset.raw,
                **fields,
            )
        )
        if len(batch) >= 500:
            DatasetText.objects.bulk_create(batch)
            batch = []
    DatasetText.objects.bulk_create(batch)


def install_index(apps, schema_editor):
    backends.for_vendor(schema_editor.connection.vendor).install()


def uninstall_index(apps, schema_editor):
    backends.for_vendor(schema_editor.connection.vendor).uninstall()


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_syncrun_topic'),
    ]

    operations = [
        migrations.CreateModel(
            name='DatasetText',
            fields=[
                ('dataset', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='text', serialize=False, to='catalog.dataset')),
                ('description', models.TextField(blank=True)),
                ('description_html', models.TextField(blank=True)),
                ('search_title', models.TextField(blank=True)),
                ('search_tags', models.TextField(blank=True)),
                ('search_organization', models.TextField(blank=True)),
                ('search_body', models.TextField(blank=True)),
                ('raw', models.JSONField(blank=True, default=dict)),
            ],
        ),
        migrations.AddField(
            model_name='dataset',
            name='sort_title',
            field=models.CharField(blank=True, db_index=True, max_length=200),
        ),
        migrations.RunPython(move_texts, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='dataset',
            name='description',
        ),
        migrations.RemoveField(
            model_name='dataset',
            name='description_html',
        ),
        migrations.RemoveField(
            model_name='dataset',
            name='raw',
        ),
        migrations.RemoveField(
            model_name='dataset',
            name='search_body',
        ),
        migrations.RemoveField(
            model_name='dataset',
            name='search_organization',
        ),
        migrations.RemoveField(
            model_name='dataset',
            name='search_tags',
        ),
        migrations.RemoveField(
            model_name='dataset',
            name='search_title',
        ),
        migrations.AddField(
            model_name='syncrun',
            name='mode',
            field=models.CharField(default='full', max_length=16),
        ),
        migrations.RunPython(install_index, uninstall_index),
    ]
