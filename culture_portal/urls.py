from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from catalog.sitemaps import SITEMAPS

urlpatterns = [
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("", include("pages.urls")),
    path("", include("catalog.urls")),
]

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
