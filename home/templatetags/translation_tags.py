"""Language switcher and hreflang links: every page says where it exists in the other language."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.models import Page, Site

register = template.Library()


def live_translations(page):
    """{language code: page} for the page and each of its live translations."""
    if not isinstance(page, Page):
        return {}
    cache = page.__dict__.setdefault("_live_translations", {})
    if not cache:
        translations = page.get_translations(inclusive=True).live().filter(alias_of__isnull=True)
        for translation_page in translations.select_related("locale"):
            cache[translation_page.locale.language_code] = translation_page
    return cache


def home_pages(request):
    """{language code: live home page} of the site, cached on the request."""
    if not hasattr(request, "_home_pages"):
        site = Site.find_for_request(request)
        request._home_pages = {}
        if site is not None:
            homes = site.root_page.get_translations(inclusive=True).live()
            for home in homes.filter(alias_of__isnull=True).select_related("locale"):
                request._home_pages[home.locale.language_code] = home
    return request._home_pages


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """One plain link per language: to this page's translation, or else to that home page.

    A link that leads to a home page instead of this page says so in words, in its own language.
    """
    request = context["request"]
    current = translation.get_language()
    page = context.get("page")
    translations = live_translations(page)
    homes = home_pages(request)
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        link = {"code": code, "name": info["name_local"], "is_current": code == current}
        if link["is_current"]:
            link["url"] = request.get_full_path()
        elif code in translations:
            link["url"] = translations[code].get_url(request)
        elif (
            page is None and request.resolver_match and request.resolver_match.url_name == "search"
        ):
            link["url"] = translate_url(request.get_full_path(), code)
        elif code in homes:
            link["url"] = homes[code].get_url(request)
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
    translations = live_translations(context.get("page"))
    alternates = [
        {"hreflang": code, "href": translations[code].get_full_url(request)}
        for code, _name in settings.LANGUAGES
        if code in translations
    ]
    if len(alternates) < 2:
        return {"alternates": []}
    default = translations.get(settings.LANGUAGE_CODE)
    if default is not None:
        alternates.append({"hreflang": "x-default", "href": default.get_full_url(request)})
    return {"alternates": alternates}
