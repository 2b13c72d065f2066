from django.conf import settings

from catalog import caching, labels, links
from catalog.selectors import freshness


def site(request):
    """What every page shows: the universe (name, brand, menu, links), the catalogue's freshness banner."""
    universe = settings.UNIVERSE
    return {
        "catalog_status": freshness.catalog_status(caching.catalog_version(request) if request else None),
        "SITE_ROOT": links.site_root(request) if request is not None else "",
        "UNIVERSE": universe,
        "PAGES": links.site_pages(),
        "FEEDBACK_URL": settings.FEEDBACK_URL or universe.links.feedback,
        "SUPPORT_URL": settings.SUPPORT_URL or universe.links.support,
        "DATAGOUV_URL": settings.DATAGOUV_URL,
        "CATEGORIES": labels.CATEGORIES,
        "MATOMO": settings.MATOMO_URL and {"url": settings.MATOMO_URL + "/", "site_id": settings.MATOMO_SITE_ID},
    }
