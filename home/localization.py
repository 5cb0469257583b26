"""Listing pages of one language without hiding what exists only in German."""

from wagtail.models import Locale


def in_locale_with_fallback(queryset, locale):
    """Items of `queryset` in `locale`, plus German (default) items not translated into it.

    German is the source language and translations are optional, so an English list shows the
    English version where one exists and the German original otherwise.
    """
    default = Locale.get_default()
    own = queryset.filter(locale=locale)
    if locale.pk == default.pk:
        return own
    untranslated = queryset.filter(locale=default).exclude(
        translation_key__in=own.values("translation_key")
    )
    return own | untranslated
