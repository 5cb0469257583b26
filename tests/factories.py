"""Factories for the site's pages and images (wagtail-factories)."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Locale, Page, Site

from home.models import ContentPage, CustomImage, HomePage
from labs.models import LabIndexPage, LabPage


class ImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = CustomImage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Code for Germany"
    slug = "home"
    intro = "Das Netzwerk der OK Labs."

    class Meta:
        model = HomePage


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Seite {n}")
    intro = "Eine Seite des Netzwerks."

    class Meta:
        model = ContentPage


class LabIndexPageFactory(wagtail_factories.PageFactory):
    title = "OK Labs"
    slug = "ok-labs"
    intro = "Alle OK Labs im Netzwerk."

    class Meta:
        model = LabIndexPage


def weekly_meeting(weekday="2", start=18, end=21, **place):
    """A meeting block value: weekly on `weekday` (0 = Monday) from `start` to `end` o'clock."""
    value = {
        "rhythm": "weekly",
        "weekday": weekday,
        "start_time": datetime.time(start),
        "end_time": datetime.time(end),
        "venue_name": "Aktivitetshuset",
        "street": "Norderstraße 49",
        "postcode": "24939",
        "city": "Flensburg",
    }
    value.update(place)
    return ("meeting", value)


class LabPageFactory(wagtail_factories.PageFactory):
    title = factory.LazyAttribute(lambda lab: f"OK Lab {lab.city}")
    slug = factory.LazyAttribute(lambda lab: lab.city.lower())
    city = factory.Sequence(lambda n: f"Stadt{n:03d}")
    bundesland = "schleswig-holstein"
    lat = 54.7937
    long = 9.4370
    intro = "Ein OK Lab."
    meetings = factory.LazyFunction(lambda: [weekly_meeting()])

    class Meta:
        model = LabPage


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


__all__ = [
    "ContentPageFactory",
    "HomePageFactory",
    "ImageFactory",
    "LabIndexPageFactory",
    "LabPageFactory",
    "make_site_root",
    "weekly_meeting",
]
