from django.urls import path

from pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.liveness, name="liveness"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("a-propos/", views.EditorialPage.as_view(template_name="pages/about.html", title="À propos"), name="about"),
    path(
        "accessibilite/",
        views.EditorialPage.as_view(template_name="pages/accessibility.html", title="Accessibilité"),
        name="accessibility",
    ),
    path(
        "mentions-legales/",
        views.EditorialPage.as_view(template_name="pages/legal.html", title="Mentions légales"),
        name="legal",
    ),
    path(
        "donnees-personnelles/",
        views.EditorialPage.as_view(template_name="pages/privacy.html", title="Données personnelles et cookies"),
        name="privacy",
    ),
]
