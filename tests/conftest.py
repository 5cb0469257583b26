"""Shared fixtures: a site whose root is the German home page, a lab index, a lab."""

import pytest

from tests.factories import LabIndexPageFactory, LabPageFactory, make_site_root


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
