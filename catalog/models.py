"""The local copy of the culture catalogue. Field names follow the data.gouv.fr API."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from catalog import labels


class License(models.Model):
    code = models.CharField(max_length=100, unique=True)  # the API's license id, e.g. "lov2"
    title = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=1000, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return labels.LICENSE_LABELS.get(self.code) or self.title or self.code

    @property
    def link(self) -> str:
        """Its text: the URL the API gave, else the one we know for it, else ``""``."""
        return self.url or labels.LICENSE_URLS.get(self.code, "")

    @property
    def is_specified(self) -> bool:
        return self.code != labels.LICENSE_MISSING

    @property
    def summary(self) -> str:
        """What it allows and requires, in one plain-French line."""
        return labels.LICENSE_SUMMARIES.get(self.code, labels.LICENSE_SUMMARY_UNKNOWN)


class OrganizationQuerySet(models.QuerySet):
    def with_dataset_counts(self, section: str = "") -> OrganizationQuerySet:
        """``dataset_count``: its published datasets (of one section when given)."""
        visible = Q(datasets__withdrawn_at__isnull=True, datasets__archived_at__isnull=True)
        if section:
            visible &= Q(datasets__section_ids__contains=f" {section} ")
        return self.annotate(dataset_count=Count("datasets", filter=visible))

    def publishing(self, section: str = "") -> OrganizationQuerySet:
        """Organizations with at least one visible dataset in the catalogue (of one section when given)."""
        return self.with_dataset_counts(section).filter(dataset_count__gt=0)


class Organization(models.Model):
    remote_id = models.CharField(max_length=64, unique=True)
    slug = models.SlugField(max_length=255, db_index=True, allow_unicode=True)
    name = models.CharField(max_length=500)
    acronym = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True)
    logo = models.URLField(max_length=1000, blank=True)
    logo_thumbnail = models.URLField(max_length=1000, blank=True)
    website = models.URLField(max_length=1000, blank=True)
    page = models.URLField(max_length=1000, blank=True)
    badges = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=32, default="other", db_index=True)
    created_at = models.DateTimeField(null=True, blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    metric_followers = models.PositiveIntegerField(default=0)
    metric_views = models.PositiveBigIntegerField(default=0)
    raw = models.JSONField(default=dict, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return labels.ORGANIZATION_KINDS.get(self.kind, labels.ORGANIZATION_KINDS["other"])

    @property
    def logo_url(self) -> str:
        """The logo to show (thumbnail first), or "" when none is served over HTTPS from IMAGE_HOSTS.

        The CSP's img-src admits those hosts only: a logo elsewhere would be a broken image.
        """
        return next((url for url in (self.logo_thumbnail, self.logo) if _on_image_host(url)), "")

    @property
    def type_label(self) -> str:
        """One label saying what kind of producer this is (« Service public certifié » when both)."""
        if self.kind == "public-service" and "certified" in self.badges:
            return "Service public certifié"
        return self.kind_label

    @property
    def other_badge_labels(self) -> list[str]:
        """The badges ``type_label`` does not already say."""
        said = {self.type_label, self.kind_label}
        return [label for label in self.badge_labels if label not in said]

    @property
    def badge_labels(self) -> list[str]:
        if {"public-service", "certified"} <= set(self.badges):
            shown = ["Service public certifié"]
            rest = [b for b in self.badges if b not in {"public-service", "certified"}]
        else:
            shown, rest = [], list(self.badges)
        return shown + [labels.BADGE_LABELS[b] for b in rest if b in labels.BADGE_LABELS]


def _on_image_host(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and parts.hostname in settings.IMAGE_HOSTS
        and port in (None, 443)
        and parts.username is None
    )


class Tag(models.Model):
    name = models.CharField(max_length=255, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


PUBLISHED = Q(withdrawn_at__isnull=True, archived_at__isnull=True)


def next_update_due(frequency: str, frequency_date: datetime | None, last_update: datetime | None) -> datetime | None:
    """When the declared frequency says the next update is due; None when it promises no date.

    data.gouv.fr's criterion: the producer's ``frequency_date`` (next expected update) when there is one and
    no update came since, else the last update plus the frequency's period.
    """
    period = labels.FREQUENCY_PERIODS.get(frequency)
    if period is None:
        return None  # unknown, punctual, irregular…: no promise, never late
    if frequency_date is not None and (last_update is None or last_update < frequency_date):
        return frequency_date
    if last_update is None:
        return None
    try:
        return last_update + period
    except OverflowError:  # a date at the end of time: nothing is due before it
        return None


def is_update_late(
    frequency: str, frequency_date: datetime | None, last_update: datetime | None, now: datetime
) -> bool:
    """Whether the declared frequency is not kept at ``now``: the due date passed, tolerance included."""
    due = next_update_due(frequency, frequency_date, last_update)
    return due is not None and due < now - labels.UPDATE_TOLERANCE


class DatasetQuerySet(models.QuerySet):
    def active(self) -> DatasetQuerySet:
        """Datasets still in the culture topic (archived ones included)."""
        return self.filter(withdrawn_at__isnull=True)

    def published(self) -> DatasetQuerySet:
        """What lists, counts and search show by default: in the topic and not archived."""
        return self.filter(PUBLISHED)

    def in_category(self, slug: str) -> DatasetQuerySet:
        return self.filter(category_slugs__contains=f" {slug} ")

    def in_section(self, section_id: str) -> DatasetQuerySet:
        """Datasets of one section of the universe (its topic holds them)."""
        return self.filter(section_ids__contains=f" {section_id} ")

    def with_publisher(self, *relations: str) -> DatasetQuerySet:
        """Its organization (and ``relations``) read along, leaving out the long fields no dataset view shows: the
        organization's payload and description and, with ``text``, the dataset's payload and index words (JSON
        payloads of several kilobytes each, decoded for nothing)."""
        deferred = [f"organization__{name}" for name in ("raw", "description", "description_html")]
        if "text" in relations:
            deferred += [f"text__{name}" for name in ("raw", *DatasetText.INDEX_FIELDS)]
        return self.select_related("organization", *relations).defer(*deferred)


class Dataset(models.Model):
    remote_id = models.CharField(max_length=64, unique=True)
    slug = models.SlugField(max_length=255, db_index=True, allow_unicode=True)
    title = models.CharField(max_length=1000)
    acronym = models.CharField(max_length=200, blank=True)
    description_short = models.TextField(blank=True)
    page = models.URLField(max_length=1000, blank=True)

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="datasets"
    )
    owner_name = models.CharField(max_length=500, blank=True)  # individual publisher (no organization)
    owner_page = models.URLField(max_length=1000, blank=True)
    publisher_kind = models.CharField(max_length=32, default="other", db_index=True)

    license = models.ForeignKey(License, null=True, blank=True, on_delete=models.SET_NULL, related_name="datasets")
    frequency = models.CharField(max_length=64, blank=True)
    frequency_date = models.DateTimeField(null=True, blank=True)
    temporal_start = models.DateField(null=True, blank=True)
    temporal_end = models.DateField(null=True, blank=True)
    spatial_zones = models.JSONField(default=list, blank=True)  # [{"id": ..., "name": ...}]
    spatial_granularity = models.CharField(max_length=100, blank=True)
    spatial_granularity_label = models.CharField(max_length=200, blank=True)

    created_at = models.DateTimeField(null=True, blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    last_update = models.DateTimeField(null=True, blank=True, db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, db_index=True)

    metric_views = models.PositiveBigIntegerField(default=0)
    metric_followers = models.PositiveIntegerField(default=0)
    metric_reuses = models.PositiveIntegerField(default=0)
    metric_discussions = models.PositiveIntegerField(default=0)
    metric_downloads = models.PositiveBigIntegerField(default=0)
    quality_score = models.FloatField(null=True, blank=True)

    tags = models.ManyToManyField(Tag, related_name="datasets", blank=True)  # what filters and counts read
    # The same tags' names, sorted, as its pages and cards show them: read with its row, not by another query.
    tag_names = models.JSONField(default=list, blank=True)
    formats = models.CharField(max_length=500, blank=True)  # " csv json " : formats of its files
    category_slugs = models.CharField(max_length=300, blank=True)  # " cinema musee ": its culture categories
    # " explorer observer ": the sections of the universe whose topic holds it (stored once, shown in each);
    # a dataset in no section is withdrawn. Padded like the two lists above, so one LIKE finds a section.
    section_ids = models.CharField(max_length=300, blank=True)
    resource_count = models.PositiveIntegerField(default=0)

    sort_title = models.CharField(max_length=200, blank=True, db_index=True)  # folded title
    # Meaningful words of the indexed title: among titles holding every word of a query, the shorter the
    # title, the more it is about just that (catalog.selectors.listing ranking).
    title_words = models.PositiveSmallIntegerField(default=0)
    payload_hash = models.CharField(max_length=64, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    seen_in_run = models.ForeignKey("SyncRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["-last_update"]
        # The list page's three orders over published datasets, read in index order up to a page.
        indexes = [
            models.Index(fields=["-last_update", "id"], condition=PUBLISHED, name="dataset_published_recent"),
            models.Index(
                fields=["-metric_views", "-metric_followers", "id"],
                condition=PUBLISHED,
                name="dataset_published_popular",
            ),
            models.Index(fields=["sort_title", "id"], condition=PUBLISHED, name="dataset_published_title"),
            # Everything the list's facet table reads (catalog.selectors.facet_table), without the rows:
            # states, facet values and ranking tie-breakers.
            models.Index(
                fields=[
                    "id",
                    "withdrawn_at",
                    "archived_at",
                    "section_ids",
                    "category_slugs",
                    "publisher_kind",
                    "organization_id",
                    "formats",
                    "license_id",
                    "metric_views",
                    "metric_followers",
                    "last_update",
                    "spatial_granularity",
                    "title_words",
                ],
                name="dataset_search_columns",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def description_html(self) -> str:
        return self.text.description_html if hasattr(self, "text") else ""

    @property
    def publisher_name(self) -> str:
        if self.organization_id:
            return self.organization.name
        return self.owner_name

    @property
    def frequency_label(self) -> str:
        return labels.FREQUENCY_LABELS.get(self.frequency, self.frequency)

    @property
    def update_due(self) -> datetime | None:
        return next_update_due(self.frequency, self.frequency_date, self.last_update)

    @property
    def is_late(self) -> bool:
        """« Mise à jour en retard »: published, and its declared frequency not kept (``is_update_late``)."""
        if self.is_withdrawn or self.is_archived:
            return False  # archived: no update is expected any more; withdrawn: we no longer know
        return is_update_late(self.frequency, self.frequency_date, self.last_update, timezone.now())

    @property
    def discussions_url(self) -> str:
        return f"{self.page.rstrip('/')}/discussions" if self.page else ""

    @property
    def format_list(self) -> list[str]:
        return self.formats.split()

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class DatasetText(models.Model):
    """The long texts of a dataset, in their own table so that lists and counts scan narrow rows.

    The ``search_*`` fields hold folded, meaningful words, space-padded; the full-text index is
    built on them (see catalog.search).
    """

    dataset = models.OneToOneField(Dataset, primary_key=True, on_delete=models.CASCADE, related_name="text")
    description = models.TextField(blank=True)  # Markdown, as published
    description_html = models.TextField(blank=True)  # rendered and sanitized
    search_title = models.TextField(blank=True)
    search_tags = models.TextField(blank=True)
    search_organization = models.TextField(blank=True)
    search_body = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)  # the API payload, as last received

    INDEX_FIELDS = ("search_title", "search_tags", "search_organization", "search_body")
    FIELDS = ("description", "description_html", *INDEX_FIELDS)

    def __str__(self) -> str:
        return f"texts of {self.dataset_id}"


class Resource(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    remote_id = models.CharField(max_length=64)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=1000, blank=True)
    description = models.TextField(blank=True)
    type = models.CharField(max_length=32, default="other")
    filetype = models.CharField(max_length=32, blank=True)
    format = models.CharField(max_length=100, blank=True, db_index=True)
    mime = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)  # original location
    download_url = models.URLField(max_length=2000, blank=True)  # stable permalink ("latest")
    filesize = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    available = models.BooleanField(null=True, blank=True)  # last link check by data.gouv.fr

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["dataset", "remote_id"], name="resource_unique_in_dataset")]

    def __str__(self) -> str:
        return self.title or self.remote_id

    @property
    def type_key(self) -> str:
        """Its type, ``other`` for a type the API may add later."""
        return self.type if self.type in labels.RESOURCE_TYPES else "other"

    @property
    def type_label(self) -> str:
        return labels.RESOURCE_TYPES[self.type_key]

    @property
    def type_help(self) -> str:
        return labels.RESOURCE_TYPE_HELP[self.type_key]

    @property
    def action(self) -> tuple[str, str]:
        """(label, icon) of its button: an API is opened, a web page visited, a file downloaded."""
        if self.type in labels.RESOURCE_ACTIONS:
            return labels.RESOURCE_ACTIONS[self.type]
        if self.format.lower() in ("html", "htm") or (self.filetype == "remote" and not self.format):
            return labels.RESOURCE_ACTION_LINK
        return labels.RESOURCE_ACTION_DEFAULT

    @property
    def spoken_format(self) -> str:
        """Its format in capitals, or ``""`` when unknown or already named by its title (no "(PARQUET) (PARQUET)")."""
        name = self.format.upper()[:20]
        if not name or name.casefold() in self.title.casefold():
            return ""
        return name

    @property
    def page_url(self) -> str:
        page = self.dataset.page
        return f"{page}?resource_id={self.remote_id}" if page else ""


class SearchWord(models.Model):
    """A word of the published datasets' titles, tags and publishers: what a misspelt query word is
    compared with to suggest a correction (catalog.search.vocabulary, rebuilt by each sync that changes
    the catalogue)."""

    word = models.CharField(max_length=40, unique=True)  # folded: "bibliotheque"
    display = models.CharField(max_length=40)  # as the catalogue writes it most often: "bibliothèque"
    frequency = models.PositiveIntegerField(default=0)  # datasets using it
    # Its first letters and its length: the bucket searched for words two edits away.
    head = models.CharField(max_length=3)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["head", "length"], name="searchword_head_length")]

    def __str__(self) -> str:
        return self.word


class CatalogSummary(models.Model):
    """Counts over the published datasets of one section, computed by each sync in its transaction.

    The home page and the unfiltered list page read their figures and facet counts here instead
    of counting tens of thousands of rows on every visit (catalog.selectors.listing.summary).
    """

    computed_at = models.DateTimeField()
    section = models.CharField(max_length=64, blank=True)  # the id of the section counted
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"summary of section {self.section} of {self.computed_at:%Y-%m-%d %H:%M}"


class SyncRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "en cours"
        SUCCESS = "success", "réussie"
        FAILED = "failed", "échouée"

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    source = models.CharField(max_length=1000, blank=True)  # API base URL or dump file
    mode = models.CharField(max_length=16, default="full")  # "full" or "incremental" (catalog.ingest)
    topic = models.CharField(max_length=64, blank=True)
    is_sample = models.BooleanField(default=False)
    datasets_total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    archived = models.PositiveIntegerField(default=0)
    organizations = models.PositiveIntegerField(default=0)
    resources = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Records left out because they could not be mapped or stored (catalog.ingest): how many, and the
    # first ones as {"kind", "id", "reason"}.
    skipped = models.PositiveIntegerField(default=0)
    skipped_records = models.JSONField(default=list, blank=True)
    # Per section of the universe: {"explorer": {"topic", "mode", "datasets"}}; incremental syncs build on it.
    sections = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"sync {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
