"""Factories for the site's pages and images (wagtail-factories)."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Locale, Page, Site

from home.models import ContentPage, CustomImage, HomePage
from labs.models import LabIndexPage, LabPage
from network.models import (
    EventIndexPage,
    EventPage,
    NewsIndexPage,
    NewsPage,
    ProjectIndexPage,
    ProjectPage,
    Topic,
)


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


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="de"))

    class Meta:
        model = Topic


class ProjectIndexPageFactory(wagtail_factories.PageFactory):
    title = "Projekte"
    slug = "projekte"

    class Meta:
        model = ProjectIndexPage


class ProjectPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Projekt {n}")
    summary = "Ein Projekt eines OK Labs."
    status = "active"

    class Meta:
        model = ProjectPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Neuigkeiten"
    slug = "neuigkeiten"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Neuigkeit {n}")
    excerpt = "Was es Neues gibt."
    date = datetime.date(2026, 11, 1)
    category = "community"

    class Meta:
        model = NewsPage


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Termine"
    slug = "termine"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Veranstaltung {n}")
    summary = "Ein Termin."
    start = factory.LazyFunction(lambda: datetime.datetime(2030, 3, 7, 10, tzinfo=datetime.UTC))
    venue_name = "Stadtbibliothek"
    city = "Flensburg"

    class Meta:
        model = EventPage


def with_labs(page, *labs):
    """Relate `page` to `labs` and publish the change."""
    for lab in labs:
        page.labs.add(lab)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


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
    "EventIndexPageFactory",
    "EventPageFactory",
    "NewsIndexPageFactory",
    "NewsPageFactory",
    "ProjectIndexPageFactory",
    "ProjectPageFactory",
    "TopicFactory",
    "with_labs",
    "ContentPageFactory",
    "HomePageFactory",
    "ImageFactory",
    "LabIndexPageFactory",
    "LabPageFactory",
    "make_site_root",
    "weekly_meeting",
]
