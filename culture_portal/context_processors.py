from django.conf import settings

from catalog import labels, links, selectors


def site(request):
    """What every page shows: the catalogue's freshness banner and a few settings."""
    return {
        "catalog_status": selectors.catalog_status(),
        "SITE_ROOT": links.site_root(request) if request is not None else "",
        "FEEDBACK_URL": settings.FEEDBACK_URL,
        "SUPPORT_URL": settings.SUPPORT_URL,
        "DATAGOUV_URL": settings.DATAGOUV_URL,
        "CATEGORIES": labels.CATEGORIES,
        "MATOMO": settings.MATOMO_URL and {"url": settings.MATOMO_URL + "/", "site_id": settings.MATOMO_SITE_ID},
    }
