"""Wagtail hooks of the network pages."""

from django.conf import settings
from django.http import Http404
from wagtail import hooks

from home.lookups import locales_by_id


@hooks.register("before_serve_page")
def never_serve_alias_translations(page, request, serve_args, serve_kwargs):
    """An alias in the English tree would show German text under /en/: answer 404 instead.

    wagtail-localize creates missing parents of a translated page as aliases of the German
    pages; until an editor translates them, they are not served (lists link to German instead).
    """
    if page.alias_of_id is not None and page.locale.language_code != settings.LANGUAGE_CODE:
        raise Http404


@hooks.register("before_serve_page")
def attach_known_locale(page, request, serve_args, serve_kwargs):
    """Give the served page its Locale from the per-publish cache: templates read it often."""
    locale = locales_by_id().get(page.locale_id)
    if locale is not None:
        page.locale = locale
