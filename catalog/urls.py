from django.urls import path

from catalog import feeds, views

app_name = "catalog"

urlpatterns = [
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("datasets.csv", views.dataset_export, name="dataset_export"),
    path("catalogue.jsonld", views.dcat_jsonld, name="dcat_jsonld"),
    path("catalogue.ttl", views.dcat_turtle, name="dcat_turtle"),
    path("feeds/datasets.atom", feeds.DatasetFeed(), name="feed"),
    path("feeds/categories/<str:slug>.atom", feeds.CategoryFeed(), name="category_feed"),
    path("feeds/organisations/<str:slug>.atom", feeds.OrganizationFeed(), name="organization_feed"),
    path("datasets/<str:slug>/", views.dataset_detail, name="dataset_detail"),
    path("organisations/", views.organization_list, name="organization_list"),
    path("organisations/<str:slug>/", views.organization_detail, name="organization_detail"),
]
