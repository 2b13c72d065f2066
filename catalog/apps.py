from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from django.conf import settings

        from catalog import facets
        from catalog.search import fill_vocabulary_after_migrate
        from catalog.search.backends import install_after_migrate, register_sqlite_functions

        # The universe's file was read with the settings; the facets it names need the registry (catalog.facets).
        facets.check(settings.UNIVERSE)
        connection_created.connect(register_sqlite_functions, dispatch_uid="catalog_sqlite_functions")
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="catalog_search_index")
        post_migrate.connect(fill_vocabulary_after_migrate, sender=self, dispatch_uid="catalog_search_vocabulary")
