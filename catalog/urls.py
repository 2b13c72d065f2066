from django.conf import settings
from django.urls import path

from catalog import views
from catalog.exports import feeds

app_name = "catalog"

urlpatterns = [
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("datasets.csv", views.dataset_export, name="dataset_export"),
    path("catalogue.jsonld", views.dcat_jsonld, name="dcat_jsonld"),
    path("catalogue.ttl", views.dcat_turtle, name="dcat_turtle"),
    path("feeds/datasets.atom", feeds.DatasetFeed(), name="feed"),
    path("feeds/categories/<str:slug>.atom", feeds.CategoryFeed(), name="category_feed"),
    path("feeds/organisations/<str:slug>.atom", feeds.OrganizationFeed(), name="organization_feed"),
]

# Every other section of the universe: its list and exports under its prefix, read by the same views
# (the section comes from the address, never from the query string). catalog.links.section_url names them.
for _section in settings.UNIVERSE.sections[1:]:
    _prefix, _kwargs = _section.url_prefix.lstrip("/"), {"section": _section.id}
    urlpatterns += [
        path(_prefix, views.dataset_list, _kwargs, name="section_dataset_list"),
        path(f"{_prefix}datasets.csv", views.dataset_export, _kwargs, name="section_dataset_export"),
        path(f"{_prefix}catalogue.jsonld", views.dcat_jsonld, _kwargs, name="section_dcat_jsonld"),
        path(f"{_prefix}catalogue.ttl", views.dcat_turtle, _kwargs, name="section_dcat_turtle"),
        path(f"{_prefix}feed.atom", feeds.DatasetFeed(), _kwargs, name="section_feed"),
    ]

urlpatterns += [
    path("datasets/<str:slug>/", views.dataset_detail, name="dataset_detail"),
    path("organisations/", views.organization_list, name="organization_list"),
    path("organisations/<str:slug>/", views.organization_detail, name="organization_detail"),
]
