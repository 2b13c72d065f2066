"""The sync against a real HTTP stand-in of the data.gouv.fr API (tests/fakes/datagouv.py)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.api.client import CatalogApiClient
from catalog.ingest.run import SyncError
from catalog.ingest.service import sync_catalog
from catalog.models import Dataset, License, Organization, Resource, SyncRun
from tests.fakes import payloads
from tests.fakes.datagouv import StandinAPI
from tests.fakes.memory import observer_topic
from tests.fakes.payloads import TOPIC, dataset, organization, resource

pytestmark = pytest.mark.django_db

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture",
                  badges=("public-service", "certified"), description="Le **ministère**.")  # fmt: skip
CNC = organization("5b7e1a2f3c4d5e6f7a8b9c0d", "Centre national du cinéma", slug="cnc")
VILLE = organization("6c8f2b3a4d5e6f7a8b9c0d1e", "Ville de Rennes", slug="ville-de-rennes", badges=("local-authority",))


def catalogue():
    return [
        dataset(
            "a" * 24,
            "Musées de France",
            tags=("musee", "patrimoine"),
            org=MC,
            resources=[resource("r-a1", fmt="csv"), resource("r-a2", fmt="pdf", type="documentation")],
        ),  # fmt: skip
        dataset("b" * 24, "Fréquentation des cinémas", tags=("cinema",), org=CNC, license="odc-odbl"),
        dataset("c" * 24, "Bibliothèques de Rennes", tags=("livre",), org=VILLE),
        dataset("d" * 24, "Festivals bretons", tags=("musique",), org=None, license=None, resources=[], description=""),
    ]


@pytest.fixture
def api(sample_licenses):
    server = StandinAPI(
        datasets=catalogue(),
        organizations=[MC, CNC, VILLE],
        licenses=sample_licenses,
        topic_id=TOPIC,
        topics=[observer_topic()],
        other_datasets=[dataset(f"{i:024x}", f"Jeu hors culture {i}", org=CNC) for i in range(1, 9)],
        page_size_default=20,
    )
    with server:
        yield server
    assert server.errors == []


def client_for(api, **options):
    return CatalogApiClient(api.url, timeout=5.0, retries=options.pop("retries", 2), sleep=lambda _: None, **options)


def run_sync(api, **kwargs):
    """A full sync unless told otherwise: these tests are about what a full sync does."""
    kwargs.setdefault("mode", "full")
    with client_for(api) as client:
        return sync_catalog(client=client, **kwargs)


def test_first_sync_brings_every_dataset_resource_and_organization(api):
    report = run_sync(api)
    assert report.created == 4
    assert report.datasets_total == 4
    assert set(Dataset.objects.values_list("title", flat=True)) == {
        "Musées de France", "Fréquentation des cinémas", "Bibliothèques de Rennes", "Festivals bretons",
    }  # fmt: skip
    musees = Dataset.objects.get(remote_id="a" * 24)
    assert musees.organization.name == "Ministère de la Culture"
    assert musees.organization.kind == "public-service"
    assert "<strong>ministère</strong>" in musees.organization.description_html
    assert [r.format for r in musees.resources.all()] == ["csv", "pdf"]
    assert sorted(t.name for t in musees.tags.all()) == ["musee", "patrimoine"]
    assert musees.license.label == "Licence Ouverte v2.0 (Etalab)"
    assert Dataset.objects.get(remote_id="c" * 24).publisher_kind == "local-authority"
    run = SyncRun.objects.get()
    assert run.status == SyncRun.Status.SUCCESS
    assert run.created == 4 and run.finished_at is not None and run.requests > 0


def test_odd_records_are_stored_not_dropped(api):
    run_sync(api)
    odd = Dataset.objects.get(remote_id="d" * 24)
    assert odd.organization is None
    assert odd.owner_name == "Camille Martin"
    assert odd.publisher_kind == "user"
    assert odd.license.code == "notspecified"
    assert odd.resource_count == 0
    assert odd.text.description == ""


def test_pages_are_followed_to_the_end(api):
    api.add_dataset(dataset("e" * 24, "Archives nationales", tags=("archives",), org=MC))
    with client_for(api) as client:
        from catalog.ingest import service

        original = client.iter_dataset_pages
        client.iter_dataset_pages = lambda **kw: original(**{**kw, "page_size": 2})
        service.sync_catalog(client=client)
    listing = [r for r in api.requests if r.path == "/api/1/datasets/"]
    assert len(listing) >= 3
    assert Dataset.objects.count() == 5


def test_second_sync_updates_changed_and_keeps_unchanged(api):
    run_sync(api)
    api.update_dataset("b" * 24, title="Fréquentation des salles de cinéma", last_modified="2026-10-01T00:00:00+00:00")
    report = run_sync(api)
    assert report.updated == 1
    assert report.unchanged == 3
    assert Dataset.objects.get(remote_id="b" * 24).title == "Fréquentation des salles de cinéma"


def test_dataset_that_left_the_topic_is_withdrawn_not_deleted(api):
    run_sync(api)
    api.remove_from_topic("c" * 24)
    report = run_sync(api)
    assert report.withdrawn == 1
    gone = Dataset.objects.get(remote_id="c" * 24)
    assert gone.withdrawn_at is not None
    assert gone not in Dataset.objects.published()
    assert Dataset.objects.published().count() == 3


def test_withdrawn_dataset_comes_back_when_it_returns(api):
    run_sync(api)
    api.remove_from_topic("c" * 24)
    run_sync(api)
    api.add_to_topic("c" * 24)
    run_sync(api)
    assert Dataset.objects.get(remote_id="c" * 24).withdrawn_at is None


def test_archived_datasets_of_the_topic_are_kept_and_flagged(api):
    run_sync(api)
    api.archive_dataset("a" * 24, "2026-09-01T00:00:00+00:00")
    report = run_sync(api)
    archived = Dataset.objects.get(remote_id="a" * 24)
    assert archived.archived_at is not None
    assert archived.withdrawn_at is None
    assert report.archived == 1
    assert archived not in Dataset.objects.published()


def test_archived_datasets_are_found_even_when_the_topic_is_private(sample_licenses):
    with StandinAPI(datasets=catalogue(), organizations=[MC, CNC, VILLE], licenses=sample_licenses,
                    topic_id=TOPIC, private_topic=True, topics=[observer_topic()]) as api:  # fmt: skip
        run_sync(api)
        api.archive_dataset("a" * 24, "2026-09-01T00:00:00+00:00")
        run_sync(api)
    archived = Dataset.objects.get(remote_id="a" * 24)
    assert archived.archived_at is not None and archived.withdrawn_at is None


def test_unknown_topic_does_not_import_the_national_catalogue(api):
    with pytest.raises(SyncError, match="topic"):
        run_sync(api, topic="0123456789abcdef01234567")
    assert Dataset.objects.count() == 0
    assert SyncRun.objects.get().status == SyncRun.Status.FAILED


def test_unknown_topic_guard_also_works_with_a_private_topic(sample_licenses):
    others = [dataset(f"{i:024x}", f"Autre {i}") for i in range(1, 9)]
    with StandinAPI(datasets=catalogue(), organizations=[MC, CNC, VILLE], licenses=sample_licenses, topic_id=TOPIC,
                    private_topic=True, other_datasets=others, topics=[observer_topic()]) as api:  # fmt: skip
        run_sync(api)  # the right topic: accepted
        assert Dataset.objects.active().count() == 4
        with pytest.raises(SyncError, match="as many as the whole catalogue"):
            run_sync(api, topic="0123456789abcdef01234567")
    assert Dataset.objects.active().count() == 4


def test_failure_halfway_keeps_the_previous_catalogue(api):
    run_sync(api)
    before = sorted(Dataset.objects.values_list("remote_id", "title", "payload_hash"))
    api.update_dataset("a" * 24, title="Nouveau titre")
    api.add_fault("/api/1/organizations/", status=500)  # organizations are fetched after the listing
    with pytest.raises(SyncError, match="HTTP 500"):
        run_sync(api)
    assert sorted(Dataset.objects.values_list("remote_id", "title", "payload_hash")) == before
    failed = SyncRun.objects.order_by("-started_at").first()
    assert failed.status == SyncRun.Status.FAILED
    assert "organizations" in failed.error


def test_transient_errors_are_retried(api):
    api.add_fault("/api/1/datasets/", status=503, times=2)
    report = run_sync(api)
    assert report.datasets_total == 4


def test_deleted_organization_falls_back_to_the_reference(api):
    api.remove_organization(CNC["id"])
    run_sync(api)
    cnc = Organization.objects.get(remote_id=CNC["id"])
    assert cnc.name == "Centre national du cinéma"


def test_licences_come_from_the_api(api):
    run_sync(api)
    assert License.objects.get(code="cc-by").title == "Creative Commons Attribution"


def test_dump_then_load_gives_the_same_catalogue(api, tmp_path):
    dump = tmp_path / "catalogue.jsonl.gz"
    run_sync(api, dump_to=dump)
    first = sorted(Dataset.objects.values_list("remote_id", "title", "payload_hash"))
    Dataset.objects.all().delete()
    report = sync_catalog(from_dump=dump)
    assert report.created == 4
    assert sorted(Dataset.objects.values_list("remote_id", "title", "payload_hash")) == first


def test_a_truncated_dump_is_refused_and_changes_nothing(tmp_path):
    payloads.load(tmp_path, catalogue()[:2], [MC, CNC])
    dump = payloads.write_dump(tmp_path / "cut.jsonl", catalogue(), [MC])
    lines = dump.read_text().splitlines()[:-1]  # no "end" line
    dump.write_text("\n".join(lines) + "\n")
    with pytest.raises(SyncError, match="truncated"):
        sync_catalog(from_dump=dump)
    assert Dataset.objects.count() == 2


def test_a_file_that_is_not_a_dump_is_refused(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"hello": 1}) + "\n")
    with pytest.raises(SyncError, match="not a catalogue dump"):
        sync_catalog(from_dump=path)


def test_dry_run_saves_nothing(api):
    report = run_sync(api, dry_run=True)
    assert report.created == 4
    assert Dataset.objects.count() == 0
    assert SyncRun.objects.count() == 0


def test_sample_data_is_replaced_whole_by_the_real_catalogue(api, tmp_path):
    payloads.load(tmp_path, [dataset("f" * 24, "Jeu inventé", org=MC)], [MC], sample=True)
    assert SyncRun.objects.get().is_sample
    run_sync(api)
    assert not Dataset.objects.filter(remote_id="f" * 24).exists()
    assert Dataset.objects.count() == 4


def test_resources_are_replaced_when_a_dataset_changes(api):
    run_sync(api)
    api.update_dataset("a" * 24, resources=[resource("r-new", fmt="json")])
    run_sync(api)
    assert list(Resource.objects.filter(dataset__remote_id="a" * 24).values_list("remote_id", flat=True)) == ["r-new"]
    assert Dataset.objects.get(remote_id="a" * 24).formats == " json "


def test_duplicate_dataset_on_two_pages_is_stored_once(api):
    api.add_dataset(dataset("e" * 24, "Archives", tags=("archives",), org=MC))
    with client_for(api) as client:
        original = client.iter_dataset_pages

        def twice(**kw):
            for page in original(**kw):
                page.items = page.items + page.items[:1]
                yield page

        client.iter_dataset_pages = twice
        report = sync_catalog(client=client)
    assert report.datasets_total == 5
    assert Dataset.objects.count() == 5


def test_command_prints_a_summary_line(api, settings, capsys):
    settings.DATAGOUV_URL = api.url
    call_command("sync_catalog")
    out = capsys.readouterr().out
    assert "4 datasets" in out and "4 new" in out


def test_command_fails_with_a_clear_message_and_nonzero_exit(settings):
    settings.DATAGOUV_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.DATAGOUV_TIMEOUT = 1.0
    with pytest.raises(CommandError, match="previous catalogue is unchanged.*127.0.0.1:9"):
        call_command("sync_catalog")


def test_second_sync_while_one_runs_is_refused(api):
    from catalog.ingest.lock import sync_lock

    with sync_lock(), pytest.raises(SyncError, match="already running"):
        run_sync(api)


def test_topic_can_be_given_by_its_slug(api):
    report = run_sync(api, topic="univers-culture")
    assert report.datasets_total == 4
    listing = [r for r in api.requests if r.path == "/api/1/datasets/"]
    assert listing[0].query["topic"] == TOPIC  # list filters need the id


def test_relative_next_page_links_are_followed(api, monkeypatch):
    from catalog.api import client as api_client

    original = api_client.CatalogApiClient.get_json

    def relative_links(self, url, **kwargs):
        payload = original(self, url, **kwargs)
        if isinstance(payload, dict) and payload.get("next_page"):
            payload["next_page"] = "?" + payload["next_page"].split("?", 1)[1]
        return payload

    monkeypatch.setattr(api_client.CatalogApiClient, "get_json", relative_links)
    with client_for(api) as client:
        original_pages = client.iter_dataset_pages
        client.iter_dataset_pages = lambda **kw: original_pages(**{**kw, "page_size": 1})
        report = sync_catalog(client=client)
    assert report.datasets_total == 4


def test_an_empty_listing_does_not_empty_the_site(api):
    run_sync(api)
    for dataset_id in ("a", "b", "c", "d"):
        api.remove_from_topic(dataset_id * 24)
    with pytest.raises(SyncError, match="refusing to withdraw"):
        run_sync(api)
    assert Dataset.objects.published().count() == 4
    report = run_sync(api, force=True)  # the operator confirms
    assert report.withdrawn == 4
    assert Dataset.objects.published().count() == 0


def test_a_catalogue_that_loses_most_of_its_datasets_is_refused(api):
    api.set_datasets([dataset(f"{i:024x}", f"Jeu {i}", tags=("archives",), org=MC) for i in range(1, 31)])
    run_sync(api)
    api.set_datasets([dataset(f"{i:024x}", f"Jeu {i}", tags=("archives",), org=MC) for i in range(1, 11)])
    with pytest.raises(SyncError, match="10 datasets against 30"):
        run_sync(api)
    assert Dataset.objects.published().count() == 30


def test_a_sync_never_runs_forever(api, settings):
    from datetime import timedelta

    run_sync(api)
    settings.SYNC_DEADLINE = timedelta(seconds=0.2)
    api.add_fault("/api/1/datasets/", status=None, delay=0.3)  # slow but correct answers
    with client_for(api) as client, pytest.raises(SyncError, match="ran out of time"):
        sync_catalog(client=client, mode="full")
    assert Dataset.objects.published().count() == 4
    assert SyncRun.objects.latest().status == SyncRun.Status.FAILED


def test_no_retry_is_started_past_the_deadline(api, settings):
    from datetime import timedelta

    settings.SYNC_DEADLINE = timedelta(seconds=1)
    api.add_fault("/api/1/datasets/", status=503)
    client = CatalogApiClient(api.url, timeout=5.0, retries=4, backoff=5.0)
    with client, pytest.raises(SyncError, match="no time left to retry"):
        sync_catalog(client=client, mode="full")
