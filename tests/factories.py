"""Factories for the site's pages and images (wagtail-factories)."""

import factory
import wagtail_factories
from wagtail.models import Locale, Page, Site

from home.models import CustomImage, HomePage


class ImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = CustomImage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Code for Germany"
    slug = "home"
    intro = "Das Netzwerk der OK Labs."

    class Meta:
        model = HomePage


def make_site_root(**fields):
    """Create a German HomePage under the tree root and make it the default site's root."""
    root = Page.get_first_root_node()
    fields.setdefault("locale", Locale.objects.get(language_code="de"))
    home = HomePageFactory(parent=root, **fields)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


__all__ = ["HomePageFactory", "ImageFactory", "factory", "make_site_root"]
