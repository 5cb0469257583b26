"""Build the demo site: the German home page as the root of the default site."""

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Locale, Page, Site

from home.models import HomePage


class Command(BaseCommand):
    help = "Load the demo content. Safe to run again: existing pages are kept."

    @transaction.atomic
    def handle(self, *args, **options):
        home = ensure_home_page()
        self.stdout.write(f"Home page: {home.title} ({home.url_path})")


def ensure_home_page():
    """Return the German HomePage, replacing Wagtail's placeholder welcome page on first run."""
    german = Locale.objects.get(language_code="de")
    Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale=german).first()
    if home is None:
        root = Page.get_first_root_node()
        placeholder = (
            root.get_children().filter(slug="home").exclude(content_type__model="homepage")
        )
        for page in placeholder:
            page.delete()
        home = root.add_child(
            instance=HomePage(
                title="Code for Germany",
                slug="home",
                locale=german,
                intro=(
                    "Code for Germany ist das Netzwerk der OK Labs: Ehrenamtliche, die mit "
                    "offenen Daten digitale Werkzeuge für ihre Städte bauen."
                ),
            )
        )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Code for Germany",
        },
    )
    return home
