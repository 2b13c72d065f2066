"""Several sections in one run: Explorer and Observer (two data.gouv.fr topics) synced together, each
dataset stored once and knowing its sections, all or nothing, incremental per section; the Explorer pages
show Explorer's datasets only. Against the HTTP stand-in of the API (tests/fakes/datagouv.py)."""

import json
import re
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from catalog.ingest.run import SyncError
from catalog.ingest.service import sync_catalog
from catalog.models import CatalogSummary, Dataset, SyncRun
from catalog.selectors import organizations
from tests.catalog.test_sync import CNC, MC, client_for
from tests.fakes.datagouv import StandinAPI
from tests.fakes.memory import OBSERVER_TOPIC_ID, observer_topic
from tests.fakes.payloads import TOPIC, dataset

pytestmark = pytest.mark.django_db

EXPLORER_ONLY, BOTH, OBSERVER_ONLY, OTHER = "a" * 24, "b" * 24, "c" * 24, "d" * 24


def catalogue():
    return [
        dataset(EXPLORER_ONLY, "Musées de France", tags=("musee",), org=MC),
        # In both topics: a culture category and an Observer theme.
        dataset(
            BOTH,
            "Fréquentation des cinémas",
            tags=("cinema", "medias-industries-culturelles"),
            org=CNC,
            _topics=[TOPIC, OBSERVER_TOPIC_ID],
        ),  # fmt: skip
        # Observer only, tagged « cinema » too (an Observer sub-theme): it must not count in Explorer's « Cinéma ».
        dataset(
            OBSERVER_ONLY,
            "Emploi dans le spectacle et le cinéma",
            org=MC,
            tags=("formation-emploi-revenus", "emploi-culturel", "cinema"),
            _topics=[OBSERVER_TOPIC_ID],
        ),  # fmt: skip
        dataset(OTHER, "Festivals bretons", tags=("musique",), org=CNC),
    ]


@pytest.fixture
def api(sample_licenses):
    others = [dataset(f"{i:024x}", f"Jeu hors culture {i}") for i in range(1, 9)]
    server = StandinAPI(datasets=catalogue(), organizations=[MC, CNC], licenses=sample_licenses, topic_id=TOPIC,
                        topics=[observer_topic()], other_datasets=others)  # fmt: skip
    with server:
        yield server
    assert server.errors == []


def run(api, mode="full", **kwargs):
    with client_for(api) as client:
        return sync_catalog(client=client, mode=mode, **kwargs)


def sections():
    return dict(Dataset.objects.values_list("remote_id", "section_ids"))


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_one_run_reads_both_topics_and_stores_each_dataset_once_in_its_sections(api, tmp_path):
    dump = tmp_path / "dump.jsonl"
    report = run(api, dump_to=dump)
    assert Dataset.objects.count() == report.datasets_total == 4  # the union, once each
    assert sections() == {
        EXPLORER_ONLY: " explorer ", BOTH: " explorer observer ", OBSERVER_ONLY: " observer ", OTHER: " explorer ",
    }  # fmt: skip
    records = [json.loads(line) for line in dump.read_text().splitlines()]
    assert records[0]["version"] == 2
    assert [(s["id"], s["topic"], s["mode"]) for s in records[0]["sections"]] == [
        ("explorer", TOPIC, "full"), ("observer", OBSERVER_TOPIC_ID, "full"),
    ]  # fmt: skip
    written = [(r["section"], r["data"]["id"]) for r in records if r["kind"] == "dataset"]
    assert sorted(written) == [("explorer", EXPLORER_ONLY), ("explorer", BOTH), ("explorer", OTHER),
                               ("observer", OBSERVER_ONLY)]  # fmt: skip
    assert [(r["section"], r["id"]) for r in records if r["kind"] == "member"] == [("observer", BOTH)]
    # The run says what each section holds, in its record and its summary line.
    run_record = SyncRun.objects.get()
    assert run_record.sections == {
        "explorer": {"topic": TOPIC, "mode": "full", "datasets": 3},
        "observer": {"topic": OBSERVER_TOPIC_ID, "mode": "full", "datasets": 2},
    }
    assert "4 datasets (explorer 3, observer 2)" in report.summary()
    # One summary per section: Explorer's counts leave the Observer-only dataset out.
    explorer = CatalogSummary.objects.get(section="explorer").data
    observer = CatalogSummary.objects.get(section="observer").data
    assert (explorer["published"], observer["published"]) == (3, 2)
    assert dict(explorer["facets"]["category"])["cinema"] == 1


def test_a_failure_on_the_observer_topic_keeps_the_whole_previous_catalogue(api):
    run(api)
    before = sorted(Dataset.objects.values_list("remote_id", "title", "section_ids", "withdrawn_at"))
    api.update_dataset(EXPLORER_ONLY, title="Musées de France, nouvelle édition")
    api.remove_from_topic(OTHER)
    api.add_fault(f"/api/1/datasets/?topic={OBSERVER_TOPIC_ID}", status=500)  # read after Explorer's listing
    with pytest.raises(SyncError, match="HTTP 500"):
        run(api)
    assert sorted(Dataset.objects.values_list("remote_id", "title", "section_ids", "withdrawn_at")) == before
    failed = SyncRun.objects.latest()
    assert failed.status == SyncRun.Status.FAILED and OBSERVER_TOPIC_ID in failed.error


def test_an_observer_topic_the_api_does_not_know_imports_nothing(sample_licenses):
    # Without the Observer topic, the API ignores ``?topic=`` and lists the whole national catalogue.
    others = [dataset(f"{i:024x}", f"Jeu hors culture {i}") for i in range(1, 9)]
    unknown = "topic 69f2fca0f4f30af95d4bab8a of section observer .* as many as the whole catalogue"
    with (
        StandinAPI(datasets=catalogue()[:1], licenses=sample_licenses, topic_id=TOPIC, other_datasets=others) as api,
        pytest.raises(SyncError, match=unknown),
    ):
        run(api)
    assert not Dataset.objects.exists()


def test_a_dataset_leaving_one_topic_stays_stored_in_the_other(api):
    run(api)
    api.remove_from_topic(BOTH)  # from Explorer's topic; still in Observer's
    report = run(api)
    assert report.withdrawn == 0
    both = Dataset.objects.get(remote_id=BOTH)
    assert both.withdrawn_at is None and both.section_ids == " observer "
    assert report.sections["explorer"].datasets == 2 and report.sections["observer"].datasets == 2
    api.remove_from_topic(BOTH, OBSERVER_TOPIC_ID)  # now in no topic: withdrawn
    report = run(api)
    assert report.withdrawn == 1
    both.refresh_from_db()
    assert both.withdrawn_at is not None and both.section_ids == ""


def test_incremental_sync_reads_each_sections_changes(api):
    run(api)
    api.reset_log()
    api.update_dataset(OBSERVER_ONLY, title="Emploi culturel en 2026", last_update=timezone.now().isoformat())
    report = run(api, mode="auto")
    assert report.mode == "incremental"
    assert {name: count.mode for name, count in report.sections.items()} == {"explorer": "incremental",
                                                                             "observer": "incremental"}  # fmt: skip
    assert (report.updated, report.created, report.withdrawn) == (1, 0, 0)
    assert Dataset.objects.get(remote_id=OBSERVER_ONLY).title == "Emploi culturel en 2026"
    listings = [(r.path, r.query.get("topic"), r.query.get("sort")) for r in api.requests]
    assert listings == [("/api/1/datasets/", TOPIC, "-last_update"),
                        ("/api/1/datasets/", OBSERVER_TOPIC_ID, "-last_update")]  # fmt: skip


def test_incremental_sync_moves_a_dataset_between_sections(api):
    run(api)
    api.remove_from_topic(BOTH)  # leaves Explorer, stays in Observer
    report = run(api, mode="incremental")
    assert report.mode == "incremental" and report.withdrawn == 0
    assert sections()[BOTH] == " observer "
    assert Dataset.objects.get(remote_id=BOTH).withdrawn_at is None
    api.add_to_topic(OBSERVER_ONLY)  # joins Explorer with an old date: found by the membership check
    report = run(api, mode="incremental")
    assert report.mode == "incremental" and report.created == 0
    assert sections()[OBSERVER_ONLY] == " explorer observer "
    api.remove_from_topic(BOTH, OBSERVER_TOPIC_ID)  # in no topic any more
    report = run(api, mode="incremental")
    assert report.mode == "incremental" and report.withdrawn == 1
    assert Dataset.objects.get(remote_id=BOTH).withdrawn_at is not None


def test_a_section_gone_from_the_universe_leaves_its_datasets_on_an_incremental_sync(api, settings):
    """An incremental run reads the membership of the datasets its changes name only, unless the last run had a
    section this one lacks: then every dataset loses it, and those held by no other section are withdrawn."""
    run(api)
    settings.UNIVERSE = replace(settings.UNIVERSE, sections=settings.UNIVERSE.sections[:1])
    report = run(api, mode="incremental")
    assert report.mode == "incremental" and report.withdrawn == 1
    assert sections()[BOTH] == " explorer "
    assert sections()[OBSERVER_ONLY] == ""
    assert Dataset.objects.get(remote_id=OBSERVER_ONLY).withdrawn_at is not None
    assert sections()[EXPLORER_ONLY] == " explorer "


def test_a_section_new_to_the_universe_is_read_in_full_while_the_others_stay_incremental(api):
    run(api)
    last = SyncRun.objects.latest()
    last.sections = {"explorer": last.sections["explorer"]}  # as if Observer had just been declared
    last.save()
    report = run(api, mode="auto")
    assert report.sections["explorer"].mode == "incremental"
    assert report.sections["observer"].mode == "full"
    assert sections()[OBSERVER_ONLY] == " observer "
    assert "4 datasets (explorer 3 incremental, observer 2 full)" in report.summary()


def test_a_section_whose_full_sync_is_old_is_read_in_full(api, settings):
    settings.SYNC_FULL_EVERY = timedelta(hours=24)
    run(api)
    SyncRun.objects.update(started_at=timezone.now() - timedelta(hours=25))
    assert run(api, mode="auto").mode == "full"
    assert run(api, mode="auto").mode == "incremental"


def test_a_catalogue_synced_before_sections_counts_as_the_first_section(api):
    run(api)
    # What the migration left: one topic per run, every dataset in the first section.
    SyncRun.objects.update(sections={})
    report = run(api, mode="auto")
    assert report.sections["explorer"].mode == "incremental"  # built on the old run's topic
    assert report.sections["observer"].mode == "full"  # never synced before


def test_explorer_pages_never_show_a_dataset_of_observer_alone(api, client):
    run(api)
    listing = page_text(client.get("/datasets/"))
    assert "Musées de France" in listing and "Fréquentation des cinémas" in listing
    assert "Emploi dans le spectacle" not in listing
    assert "3 jeux de données" in listing
    cinema = page_text(client.get("/datasets/?category=cinema"))
    assert "1 jeu de données" in cinema and "Emploi dans le spectacle" not in cinema
    searched = page_text(client.get("/datasets/?q=emploi"))
    assert "Emploi dans le spectacle" not in searched
    home = client.get("/").content.decode()
    assert 'cp-figures__value">3</span>' in home and "Emploi dans le spectacle" not in home
    # (The sitemap lists every dataset's one page, whatever its sections: tests/catalog/test_observer.py.)
    for url in ("/feeds/datasets.atom", "/feeds/categories/cinema.atom", "/catalogue.jsonld", "/datasets.csv"):
        body = client.get(url).getvalue().decode()
        assert "Fréquentation des cinémas" in body or f"/datasets/{BOTH}/" in body, url
        assert "Emploi dans le spectacle" not in body and OBSERVER_ONLY not in body, url
    producer = page_text(client.get(f"/organisations/{MC['slug']}/"))
    assert "Musées de France" in producer and "Emploi dans le spectacle" not in producer
    assert organizations.organization_get(slug=MC["slug"]).dataset_count == 1


def test_a_dump_of_several_sections_reloads_to_the_same_memberships(api, tmp_path):
    dump = tmp_path / "dump.jsonl"
    run(api, dump_to=dump)
    expected = sections()
    Dataset.objects.all().delete()
    sync_catalog(from_dump=dump)
    assert sections() == expected


@pytest.mark.parametrize(
    ("record", "error"),
    [
        ({"kind": "member", "section": "elsewhere", "id": BOTH}, "names section 'elsewhere'"),
        ({"kind": "withdraw", "section": "observer", "id": BOTH}, "only belong to a section synced incrementally"),
    ],
)
def test_a_dump_naming_an_undeclared_section_or_withdrawing_in_a_full_one_is_refused(api, tmp_path, record, error):
    dump = tmp_path / "dump.jsonl"
    run(api, dump_to=dump)
    before = sorted(Dataset.objects.values_list("remote_id", "section_ids"))
    lines = dump.read_text().splitlines()
    lines.insert(-1, json.dumps(record))
    dump.write_text("\n".join(lines) + "\n")
    with pytest.raises(SyncError, match=error):
        sync_catalog(from_dump=dump)
    assert sorted(Dataset.objects.values_list("remote_id", "section_ids")) == before


def test_the_sample_catalogue_fills_both_sections_and_stores_shared_datasets_once(settings):
    report = sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    assert {name: count.datasets for name, count in report.sections.items()} == {"explorer": 43, "observer": 10}
    assert Dataset.objects.count() == report.datasets_total == 51  # the two in both topics, once each
    memberships = Counter(Dataset.objects.values_list("section_ids", flat=True))
    assert memberships == {" explorer ": 41, " explorer observer ": 2, " observer ": 8}
    # Observer holds the statistics of the ministry's DEPS, nothing else.
    observer = Dataset.objects.in_section("observer")
    assert set(observer.values_list("organization__acronym", flat=True)) == {"DEPS"}
    assert set(observer.filter(section_ids=" explorer observer ").values_list("title", flat=True)) == {
        "Chiffres clés de la culture et de la communication",
        "Base des lieux et équipements culturels (Basilic)",
    }
    explorer = CatalogSummary.objects.get(section="explorer").data
    assert (explorer["published"], CatalogSummary.objects.get(section="observer").data["published"]) == (42, 10)
    # Observer-only datasets tagged like a culture category (« cinema », « archives » are Observer sub-themes
    # too) stay out of Explorer's category counts.
    for tag in ("cinema", "archives"):
        tagged = Dataset.objects.published().filter(tags__name=tag)
        assert tagged.filter(section_ids=" observer ").exists(), tag
        assert dict(explorer["facets"]["category"])[tag] == tagged.in_section("explorer").count() < tagged.count()


def test_every_observer_sample_dataset_carries_the_universes_thematique_tags(settings):
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    (section,) = (section for section in settings.UNIVERSE.sections if section.id == "observer")
    groups = {facet.name: {option.tag for option in facet.tags} for facet in section.facets if facet.tags}
    used = set()
    for held in Dataset.objects.in_section("observer").prefetch_related("tags"):
        tags = {tag.name for tag in held.tags.all()}
        assert 1 <= len(tags & groups["thematique"]) <= 2, (held.title, tags)
        assert 1 <= len(tags & groups["sous_thematique"]) <= 3, (held.title, tags)
        used |= tags
    assert groups["thematique"] <= used  # every « Thématique » option leads to sample datasets
