"""Shared fixtures: a site whose root is the German home page, a lab index, a lab."""

import pytest

from tests.factories import LabIndexPageFactory, LabPageFactory, make_site_root
from tests.helpers import clear_caches


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: nothing cached for rows an earlier test rolled back."""
    clear_caches()


@pytest.fixture
def home_page(db):
    """The German home page as root of the default site (Wagtail's welcome page removed)."""
    from wagtail.models import Page

    Page.objects.filter(depth=2).delete()
    return make_site_root()


@pytest.fixture
def lab_index(home_page):
    return LabIndexPageFactory(parent=home_page)


@pytest.fixture
def flensburg(lab_index):
    return LabPageFactory(
        parent=lab_index,
        title="OK Lab Flensburg",
        slug="flensburg",
        city="Flensburg",
        bundesland="schleswig-holstein",
        lat=54.7937,
        long=9.4370,
        founding_year=2023,
    )


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def english(db):
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code="en")[0]


def translate(page, locale, **fields):
    """A published English copy of `page` (and of its parents when missing) with new fields."""
    translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


@pytest.fixture
def english_site(home_page, lab_index, flensburg, english):
    """The home page, the lab index and Flensburg translated into English; others stay German."""
    home_en = translate(home_page, english, title="Code for Germany", intro="The OK Lab network.")
    index_en = translate(lab_index, english, title="OK Labs", slug="ok-labs")
    flensburg_en = translate(flensburg, english, intro="Civic tech in the north.")
    return {"home": home_en, "index": index_en, "flensburg": flensburg_en}
