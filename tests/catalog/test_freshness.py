"""Trust signals: « Mise à jour en retard » (the declared frequency not kept) and dates later than the last sync."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template

from catalog import labels
from catalog.models import is_update_late, next_update_due
from catalog.templatetags.catalog_tags import after_sync
from tests.catalog.test_cards import card_text
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("frequency", "frequency_date", "last_update", "late"),
    [
        # No promise, never late, however old the data.
        ("unknown", None, NOW - 3650 * DAY, False),
        ("unknown", NOW - 30 * DAY, NOW - 3650 * DAY, False),
        ("irregular", NOW - 30 * DAY, NOW - 3650 * DAY, False),
        ("punctual", None, NOW - 3650 * DAY, False),
        ("continuous", None, NOW - 3650 * DAY, False),
        ("notPlanned", None, NOW - 3650 * DAY, False),
        ("", None, NOW - 3650 * DAY, False),
        ("madeUp", None, NOW - 3650 * DAY, False),
        # The producer's next expected date, when there is one: past (beyond a day of tolerance) is late.
        ("annual", NOW - 10 * DAY, NOW - 300 * DAY, True),
        ("annual", NOW + 10 * DAY, NOW - 500 * DAY, False),  # announced date to come wins over the period
        ("annual", NOW - timedelta(hours=12), NOW - 300 * DAY, False),  # within the tolerance
        ("monthly", NOW - 2 * DAY, None, True),  # no last update known: the announced date alone
        # An update came after the announced date: the promise was kept; the period runs from that update.
        ("monthly", NOW - 40 * DAY, NOW - 20 * DAY, False),
        ("monthly", NOW - 90 * DAY, NOW - 60 * DAY, True),
        # No announced date: last update plus the frequency's period, plus a day.
        ("monthly", None, NOW - 20 * DAY, False),
        ("monthly", None, NOW - 31 * DAY, False),
        ("monthly", None, NOW - 33 * DAY, True),
        ("weekly", None, NOW - 8 * DAY - timedelta(hours=1), True),
        ("weekly", None, NOW - 7 * DAY, False),
        ("daily", None, NOW - 3 * DAY, True),
        ("hourly", None, NOW - 3 * DAY, True),
        ("annual", None, NOW - 400 * DAY, True),
        ("annual", None, NOW - 300 * DAY, False),
        ("quinquennial", None, NOW - 4 * 366 * DAY, False),
        # Missing dates: nothing to measure.
        ("monthly", None, None, False),
        # Dates at the end of time do not break the page.
        ("annual", None, datetime.max.replace(tzinfo=UTC), False),
        ("annual", datetime.max.replace(tzinfo=UTC), None, False),
        ("annual", None, datetime.min.replace(tzinfo=UTC) + DAY, True),
    ],
)
def test_lateness_follows_the_declared_frequency(frequency, frequency_date, last_update, late):
    assert is_update_late(frequency, frequency_date, last_update, NOW) is late


def test_next_update_due():
    assert next_update_due("monthly", None, NOW) == NOW + labels.FREQUENCY_PERIODS["monthly"]
    assert next_update_due("monthly", NOW + DAY, NOW) == NOW + DAY
    assert next_update_due("unknown", NOW + DAY, NOW) is None
    assert next_update_due("monthly", None, None) is None


def test_every_frequency_has_a_period_or_promises_nothing():
    no_promise = {"continuous", "punctual", "irregular", "never", "notPlanned", "other", "unknown"}
    assert set(labels.FREQUENCY_LABELS) == set(labels.FREQUENCY_PERIODS) | no_promise
    assert not set(labels.FREQUENCY_PERIODS) & no_promise


@pytest.mark.parametrize(
    ("value", "synced_at", "flagged"),
    [
        (NOW + timedelta(minutes=1), NOW, True),
        (NOW, NOW, False),
        (NOW - 300 * DAY, NOW, False),
        (date(2026, 12, 2), NOW, True),
        (date(2026, 12, 1), NOW, False),
        (NOW + 3650 * DAY, None, False),  # never synced: nothing to compare with
        (None, NOW, False),
    ],
)
def test_dates_later_than_the_last_sync_are_flagged(value, synced_at, flagged):
    assert after_sync(value, synced_at) is flagged


def test_catalog_date_tag_says_so():
    class Status:
        last_success_at = NOW

    render = Template("{% load catalog_tags %}{% catalog_date value %}").render
    assert render(Context({"value": NOW - DAY, "catalog_status": Status()})) == "30 novembre 2026"
    flagged = render(Context({"value": datetime(2031, 3, 1, tzinfo=UTC), "catalog_status": Status()}))
    assert flagged.startswith("1er mars 2031 ")
    assert "(date postérieure à la dernière synchronisation)" in flagged


# Pages, on a catalogue loaded through the real sync (now is the real clock: dates are far from it).

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")


@pytest.fixture
def catalogue(tmp_path, sample_licenses):
    datasets = [
        dataset("a" * 24, "Musées en retard", slug="en-retard", tags=("musee",), org=MC, frequency="monthly",
                frequency_date="2020-02-01T00:00:00+00:00", last_update="2020-01-01T00:00:00+00:00"),
        dataset("b" * 24, "Musées sans fréquence", slug="sans-frequence", tags=("musee",), org=MC,
                frequency="unknown", last_update="2020-01-01T00:00:00+00:00"),
        dataset("c" * 24, "Musées du futur", slug="futur", tags=("musee",), org=MC, frequency="annual",
                last_update="2099-06-01T00:00:00+00:00"),
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [MC], sample_licenses)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/datasets/", "/organisations/ministere-de-la-culture/"])
def test_cards_show_late_updates_explained_and_flag_future_dates(client, catalogue, url):
    html = client.get(url).content.decode().replace("&nbsp;", " ")
    late = card_text(html, "en-retard")
    assert "Mise à jour en retard" in late
    assert "attendue le 1er février 2020 (fréquence annoncée : mensuelle)" in late
    assert "Mise à jour en retard" not in card_text(html, "sans-frequence")
    future = card_text(html, "futur")
    assert "Mis à jour le 1er juin 2099 (date postérieure à la dernière synchronisation)" in future
    assert "Mise à jour en retard" not in future


@pytest.mark.django_db
def test_dataset_page_explains_a_late_update(client, catalogue):
    html = client.get("/datasets/en-retard/").content.decode().replace("&nbsp;", " ")
    notice = re.search(r'<div class="fr-alert fr-alert--warning[^"]*" id="late-notice">(.*?)</div>', html, re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", notice.group(1)).split())
    assert text.startswith("Mise à jour en retard")
    assert "« mensuelle »" in text and "attendue le 1er février 2020" in text and "1er janvier 2020" in text
    for slug in ("sans-frequence", "futur"):
        assert 'id="late-notice"' not in client.get(f"/datasets/{slug}/").content.decode()


@pytest.mark.django_db
def test_dataset_page_flags_a_date_later_than_the_last_sync(client, catalogue):
    html = client.get("/datasets/futur/").content.decode()
    assert "1er juin 2099 <span" in html and "(date postérieure à la dernière synchronisation)" in html
    assert "(date postérieure" not in client.get("/datasets/en-retard/").content.decode()
