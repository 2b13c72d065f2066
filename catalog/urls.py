from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("datasets/<str:slug>/", views.dataset_detail, name="dataset_detail"),
    path("organisations/", views.organization_list, name="organization_list"),
    path("organisations/<str:slug>/", views.organization_detail, name="organization_detail"),
]
