from django.urls import include, path

from catalog.exports import sitemaps

urlpatterns = [
    path("sitemap.xml", sitemaps.index),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap-section"),
    path("", include("pages.urls")),
    path("", include("catalog.urls")),
]

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
