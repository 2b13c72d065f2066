from datetime import UTC, date, datetime

from catalog.ingest import mapping

BASE = "https://www.data.gouv.fr"


def test_complete_dataset_maps_every_field(sample_datasets):
    fields = mapping.dataset_fields(sample_datasets[0], base_url=BASE)
    assert fields["title"] == "Liste et localisation des musées de France"
    assert fields["slug"] == "liste-et-localisation-des-musees-de-france"
    assert fields["acronym"] == "Muséofile"
    assert fields["page"] == "https://www.data.gouv.fr/datasets/liste-et-localisation-des-musees-de-france"
    assert fields["frequency"] == "daily"
    assert fields["temporal_start"] == date(2002, 1, 4)
    assert fields["temporal_end"] == date(2026, 6, 30)
    assert fields["spatial_zones"] == [{"id": "country:fr", "name": "France"}]
    assert fields["spatial_granularity_label"] == "Commune"
    assert fields["last_update"] == datetime(2026, 6, 30, 4, 12, 55, tzinfo=UTC)
    assert fields["archived_at"] is None
    assert fields["metric_views"] == 48213
    assert fields["metric_discussions"] == 2
    assert fields["metric_downloads"] == 52391
    assert fields["formats"] == " csv geojson pdf "
    assert fields["resource_count"] == 3
    assert "<strong>" in fields["description_html"]
    assert fields["description_short"].startswith("Liste géolocalisée")


def test_search_fields_hold_folded_meaningful_words(sample_datasets):
    fields = mapping.dataset_fields(sample_datasets[0], base_url=BASE)
    assert fields["search_title"].startswith(" liste localisation musees france ")
    assert fields["search_organization"].startswith(" ministere culture ")
    assert " musee " in fields["search_tags"]
    assert " musees " in fields["search_tags"]  # the category's label, "Musées"
    assert " csv " in fields["search_tags"]  # file formats
    assert " museofile " in fields["search_body"]
    assert "https" not in fields["search_body"]  # link targets are not words
    assert fields["sort_title"] == "liste et localisation des musees de france"


def test_archived_dataset_keeps_its_archive_date(sample_datasets):
    fields = mapping.dataset_fields(sample_datasets[1], base_url=BASE)
    assert fields["archived_at"] == datetime(2025, 3, 4, 10, 12, 45, 318000, tzinfo=UTC)


def test_user_dataset_with_null_fields(sample_datasets):
    payload = sample_datasets[2]
    fields = mapping.dataset_fields(payload, base_url=BASE)
    assert fields["owner_name"] == "Maëlle Le Goff"
    assert fields["owner_page"] == "https://www.data.gouv.fr/users/maelle-le-goff"
    assert fields["temporal_start"] is None
    assert fields["spatial_zones"] == []
    assert fields["frequency"] == "unknown"
    # No description_short: a plain-text teaser is derived from the Markdown.
    assert fields["description_short"].startswith("Fréquentation déclarée des festivals")
    assert "**" not in fields["description_short"]


def test_broken_payload_never_raises():
    odd = {
        "id": "x1",
        "title": None,
        "description": None,
        "tags": "not-a-list",
        "metrics": 0,
        "resources": [None, {"id": "r1", "url": "javascript:alert(1)", "latest": "data:text/html,hi", "filesize": -3}],
        "spatial": {"zones": None, "granularity": {"id": "fr:region", "name": "Région"}},
        "temporal_coverage": {"start": "not a date", "end": None},
        "last_update": "2026-13-45",
        "quality": {"score": True},
        "page": "javascript:alert(1)",
    }
    fields = mapping.dataset_fields(odd, base_url=BASE)
    assert fields["slug"] == "x1"
    assert fields["title"] == "x1"
    assert fields["page"] == "https://www.data.gouv.fr/datasets/x1"
    assert fields["last_update"] is None
    assert fields["temporal_start"] is None
    assert fields["quality_score"] is None
    assert fields["spatial_granularity_label"] == "Région"
    resources = mapping.resources_of(odd)
    assert len(resources) == 1
    assert resources[0]["url"] == ""
    assert resources[0]["download_url"] == ""
    assert resources[0]["filesize"] is None


def test_filesize_falls_back_to_the_analysed_length(sample_datasets):
    resources = mapping.resources_of(sample_datasets[0])
    assert resources[0]["filesize"] == 612455
    assert resources[2]["filesize"] == 418211
    assert (
        resources[0]["download_url"] == "https://www.data.gouv.fr/api/1/datasets/r/b7d3e0a2-41c6-4f8e-9a25-6c1d8e3f7b90"
    )
    assert resources[0]["available"] is True


def test_zone_objects_from_full_object_header_keep_their_names():
    fields = mapping.dataset_fields(
        {"id": "d", "spatial": {"zones": [{"id": "fr:region:53", "name": "Bretagne"}], "granularity": "fr:commune"}},
        base_url=BASE,
    )
    assert fields["spatial_zones"] == [{"id": "fr:region:53", "name": "Bretagne"}]


def test_organization_kinds_from_badges(sample_organization):
    fields = mapping.organization_fields(sample_organization)
    assert fields["kind"] == "public-service"
    assert fields["badges"] == ["public-service", "certified"]
    assert fields["website"] == "https://www.culture.gouv.fr"
    assert mapping.organization_kind(["public-service", "local-authority"]) == "local-authority"
    assert mapping.organization_kind([]) == "other"


def test_control_characters_and_overlong_text_are_cleaned():
    assert mapping.text("a\x00b\x1bc") == "abc"
    assert mapping.text("facture\u202etxt.exe\u200b") == "facturetxt.exe"
    assert mapping.text(" Musée\x00 d’Orsay\u2066 ") == "Musée d’Orsay"
    assert mapping.text("Opéra \ud800") == "Opéra ?"  # a lone surrogate, which no database stores
    assert mapping.text("x" * 5000, 100) == "x" * 100
    assert mapping.http_url("https://ok.fr/a b") == ""
    assert mapping.http_url("HTTPS://ok.fr/") == "HTTPS://ok.fr/"


def test_resource_description_is_plain_text(sample_datasets):
    first = mapping.resources_of(sample_datasets[0])[0]
    assert first["description"].startswith("Export au format CSV (séparateur ;, encodage UTF-8)")
    assert "`" not in first["description"]


def test_a_new_mapping_version_changes_every_hash(sample_datasets, monkeypatch):
    before = mapping.payload_hash(sample_datasets[0])
    assert mapping.payload_hash(sample_datasets[0]) == before
    monkeypatch.setattr(mapping, "MAPPING_VERSION", mapping.MAPPING_VERSION + 1)
    assert mapping.payload_hash(sample_datasets[0]) != before
