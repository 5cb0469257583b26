"""Addresses every page shows, looked up once per publish instead of once per request.

The language switcher, the hreflang links, "Mitmachen" and "All projects" links need a few pages
of the tree on every request. They change only when an editor publishes, so they are kept as
plain strings per generation (home.caching.per_generation) and cost no query on a warm cache.
Keys name the site, because a page's address depends on the site it is served on.
"""

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from home.caching import per_generation
from home.models import SiteSettings


def _site_id(request):
    site = Site.find_for_request(request)
    return site.pk if site else 0


def translation_urls(page, request):
    """{language code: (url, full url)} of the page's live translations (itself included)."""
    if not isinstance(page, Page) or page.pk is None:
        return {}

    def build():
        translations = (
            Page.objects.filter(translation_key=page.translation_key, alias_of__isnull=True)
            .live()
            .select_related("locale")
        )
        return {
            other.locale.language_code: (other.get_url(request), other.get_full_url(request))
            for other in translations
        }

    return per_generation(f"translations:{_site_id(request)}:{page.translation_key}", build)


def home_urls(request):
    """{language code: url} of the site's live home pages."""
    site = Site.find_for_request(request)

    def build():
        if site is None:
            return {}
        homes = site.root_page.get_translations(inclusive=True).live()
        homes = homes.filter(alias_of__isnull=True).select_related("locale")
        return {home.locale.language_code: home.get_url(request) for home in homes}

    return per_generation(f"homes:{_site_id(request)}", build)


def page_link(page_id, request):
    """{"url", "title"} of a chosen page in the visitor's language, or None when it is not live.

    The German page stands in where the translation is missing (or still an alias).
    """
    if page_id is None:
        return None
    language = translation.get_language()

    def build():
        page = Page.objects.filter(pk=page_id).select_related("locale").first()
        if page is None:
            return None
        if page.locale.language_code != language:
            translated = (
                page.get_translations()
                .live()
                .filter(locale__language_code=language, alias_of__isnull=True)
                .first()
            )
            page = translated or page
        return {"url": page.get_url(request), "title": page.title} if page.live else None

    return per_generation(f"page-link:{_site_id(request)}:{page_id}:{language}", build)


def settings_page_link(request, field):
    """page_link() of a page chosen in the site settings, e.g. `join_page`."""

    def build():
        return getattr(SiteSettings.for_request(request), f"{field}_id")

    return page_link(per_generation(f"setting:{_site_id(request)}:{field}", build), request)


def first_live_url(model, request, language=None):
    """The address of the first live `model` page in the language (e.g. the project index).

    Falls back to the German one when the language has none.
    """
    language = language or translation.get_language()

    def build():
        pages = model.objects.live().filter(alias_of__isnull=True).order_by("path")
        page = (
            pages.filter(locale__language_code=language).first()
            or pages.filter(locale__language_code=settings.LANGUAGE_CODE).first()
        )
        return page.get_url(request) if page else None

    name = model._meta.label_lower
    return per_generation(f"first:{_site_id(request)}:{name}:{language}", build)


def locales_by_id():
    """{id: Locale} of the site's languages (they change when a language is added)."""
    return per_generation("locales", lambda: {locale.pk: locale for locale in Locale.objects.all()})
