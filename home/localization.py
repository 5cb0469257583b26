"""Listing pages of one language without hiding what exists only in German."""

from django.conf import settings


def in_locale_with_fallback(queryset, locale):
    """Items of `queryset` in `locale`, plus German (default) items not translated into it.

    German is the source language and translations are optional, so an English list shows the
    English version where one exists and the German original otherwise. Alias pages (copies
    that still hold German text) count as untranslated.
    """
    own = queryset.filter(locale=locale, alias_of__isnull=True)
    if locale.language_code == settings.LANGUAGE_CODE:
        return own
    untranslated = queryset.filter(locale__language_code=settings.LANGUAGE_CODE).exclude(
        translation_key__in=own.values("translation_key")
    )
    return own | untranslated
