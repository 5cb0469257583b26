from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The network's own pages, shared blocks, images and site-wide settings."""

    name = "home"
    verbose_name = _("Network pages")

    def ready(self):
        from home import caching  # noqa: F401  (invalidates the page cache on publish)
        from home.importing import content  # noqa: F401  (registers the content page mapping)
