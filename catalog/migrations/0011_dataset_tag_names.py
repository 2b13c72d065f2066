"""A dataset keeps its tags' names with its row: its page and its card read them without another query.

The tag links stay: filters and counts read them. Existing datasets get their names from their links here;
a sync writes both from then on (catalog.ingest.mapping.dataset_fields).
"""

from collections import defaultdict

from django.db import migrations, models


def copy_tag_names(apps, schema_editor):
    Dataset = apps.get_model("catalog", "Dataset")
    links = Dataset.tags.through.objects.values_list("dataset_id", "tag__name")
    names: dict[int, list[str]] = defaultdict(list)
    for dataset_id, name in links.iterator(chunk_size=5000):
        names[dataset_id].append(name)
    batch = [Dataset(pk=pk, tag_names=sorted(tagged)) for pk, tagged in names.items()]
    Dataset.objects.bulk_update(batch, ["tag_names"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_sections"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataset",
            name="tag_names",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(copy_tag_names, migrations.RunPython.noop, elidable=True),
    ]
