"""Wagtail hooks of the network pages."""

from django.conf import settings
from django.http import Http404
from wagtail import hooks


@hooks.register("before_serve_page")
def never_serve_alias_translations(page, request, serve_args, serve_kwargs):
    """An alias in the English tree would show German text under /en/: answer 404 instead.

    wagtail-localize creates missing parents of a translated page as aliases of the German
    pages; until an editor translates them, they are not served (lists link to German instead).
    """
    if page.alias_of_id is not None and page.locale.language_code != settings.LANGUAGE_CODE:
        raise Http404
