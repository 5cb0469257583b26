"""Shared fixtures: a site whose root is the German home page."""

import pytest

from tests.factories import make_site_root


@pytest.fixture
def home_page(db):
    """The German home page as root of the default site (Wagtail's welcome page removed)."""
    from wagtail.models import Page

    Page.objects.filter(depth=2).delete()
    return make_site_root()
