"""Language switcher and hreflang links: every page says where it exists in the other language."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_info

from home.lookups import home_urls, translation_urls

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """One plain link per language: to this page's translation, or else to that home page.

    A link that leads to a home page instead of this page says so in words, in its own language.
    """
    request = context["request"]
    current = translation.get_language()
    page = context.get("page")
    translations = translation_urls(page, request)
    homes = home_urls(request)
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        link = {"code": code, "name": info["name_local"], "is_current": code == current}
        if link["is_current"]:
            link["url"] = request.get_full_path()
        elif code in translations:
            link["url"] = translations[code][0]
        elif (
            page is None and request.resolver_match and request.resolver_match.url_name == "search"
        ):
            link["url"] = translate_url(request.get_full_path(), code)
        elif code in homes:
            link["url"] = homes[code]
            with translation.override(code):
                link["note"] = translation.gettext(
                    "home page – this page is not available in %(language)s"
                ) % {"language": info["name_local"]}
        else:
            continue
        links.append(link)
    return {"language_links": links}


@register.inclusion_tag("includes/hreflang.html", takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each live translation, and x-default (German)."""
    request = context["request"]
    translations = translation_urls(context.get("page"), request)
    alternates = [
        {"hreflang": code, "href": translations[code][1]}
        for code, _name in settings.LANGUAGES
        if code in translations
    ]
    if len(alternates) < 2:
        return {"alternates": []}
    if settings.LANGUAGE_CODE in translations:
        alternates.append(
            {"hreflang": "x-default", "href": translations[settings.LANGUAGE_CODE][1]}
        )
    return {"alternates": alternates}
