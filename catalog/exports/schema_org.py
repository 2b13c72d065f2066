"""The schema.org JSON-LD of a dataset page, for search engines (Google Dataset Search)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from catalog.models import Dataset


def dataset_jsonld(dataset: Dataset, url: str) -> dict[str, Any]:
    """The schema.org ``Dataset`` describing a dataset page, for search engines (Google Dataset Search)."""
    from catalog.markdown import html_to_text

    publisher = None
    if dataset.organization_id:
        organization = dataset.organization
        publisher = {"@type": "Organization", "name": organization.name}
        if organization.page:
            publisher["url"] = organization.page
    elif dataset.owner_name:
        publisher = {"@type": "Person", "name": dataset.owner_name}
    description = html_to_text(dataset.description_html, 5000) or dataset.description_short or dataset.title
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": dataset.title,
        "description": description if len(description) >= 50 else f"{description} — {dataset.title}",
        "url": url,
        "sameAs": dataset.page,
        "identifier": dataset.remote_id,
        "keywords": list(dataset.tag_names),
        "isAccessibleForFree": True,
        "includedInDataCatalog": {"@type": "DataCatalog", "name": settings.UNIVERSE.name},
    }
    if publisher:
        data["publisher"] = data["creator"] = publisher
    if dataset.license_id:  # schema.org wants a URL or a CreativeWork, never bare text
        license = dataset.license
        data["license"] = license.url if license.url else {"@type": "CreativeWork", "name": license.label}
    for key, value in (("dateCreated", dataset.created_at), ("dateModified", dataset.last_update)):
        if value:
            data[key] = value.isoformat()
    if dataset.temporal_start:
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        data["temporalCoverage"] = f"{dataset.temporal_start.isoformat()}/{end}"
    zones = [zone.get("name") for zone in dataset.spatial_zones if isinstance(zone, dict) and zone.get("name")]
    if zones:
        data["spatialCoverage"] = [{"@type": "Place", "name": name} for name in zones]
    data["distribution"] = [
        {
            "@type": "DataDownload",
            "name": resource.title or resource.remote_id,
            "encodingFormat": resource.mime or resource.format or "application/octet-stream",
            "contentUrl": resource.download_url,
        }
        for resource in dataset.resources.all()
        if resource.download_url
    ]
    return data
