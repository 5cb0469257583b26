"""Views outside Wagtail's page tree: health check, media files, site search, sitemap."""

import re
import unicodedata
from collections import defaultdict

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.static import serve
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page

SEARCH_RESULTS_PER_PAGE = 10
MAX_SEARCH_QUERY_LENGTH = 200
MEDIA_MAX_AGE = 7 * 24 * 3600


@never_cache
def healthz(request):
    """Answer 200 when the database answers, 503 otherwise: for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def serve_media(request, path):
    """Serve uploaded files from MEDIA_ROOT, with conditional requests and a week of caching.

    Wagtail gives every upload and rendition a new file name, so a cached copy never goes stale.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    return response


def clean_query(text):
    """The first 200 characters of a search query, without control characters.

    The cut bounds the work a pathological query causes; NUL and the other control characters
    mean nothing in a query, and PostgreSQL refuses NUL in any string.
    """
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return " ".join(text.split())[:MAX_SEARCH_QUERY_LENGTH]


def search_terms(query):
    """The words of a query, for the search backend: quotes, brackets and operators are not
    query syntax here (SQLite's full-text search would fail on them), just separators."""
    return " ".join(re.findall(r"\w+", query))


def search(request):
    """Search the live pages of the visitor's language with Wagtail's search backend."""
    query = clean_query(request.GET.get("q", ""))
    results = Page.objects.none()
    if terms := search_terms(query):
        results = (
            Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(terms)
        )
    paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
    try:
        page_of_results = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_of_results = paginator.page(1)
    except EmptyPage:
        page_of_results = paginator.page(paginator.num_pages)
    return render(
        request,
        "home/search.html",
        {"search_query": query, "search_results": page_of_results},
    )


class I18nSitemap(Sitemap):
    """Every live page of every language, each with its translations as alternates.

    Wagtail's own sitemap walks only the default site's tree, i.e. the German pages.
    """

    def items(self):
        return (
            Page.objects.live()
            .public()
            .filter(depth__gt=1, alias_of__isnull=True)
            .select_related("locale")
            .defer_streamfields()
            .order_by("path")
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        keys = {item.translation_key for item in pages}
        translations = defaultdict(dict)
        for item in (
            Page.objects.live()
            .public()
            .filter(translation_key__in=keys, alias_of__isnull=True)
            .select_related("locale")
            .defer_streamfields()
        ):
            translations[item.translation_key][item.locale.language_code] = item.get_full_url(
                self.request
            )
        default_language = settings.LANGUAGE_CODE
        urls = []
        for item in pages:
            alternates = [
                {"lang_code": code, "location": url}
                for code, url in sorted(translations[item.translation_key].items())
            ]
            if len(alternates) > 1 and default_language in translations[item.translation_key]:
                alternates.append(
                    {
                        "lang_code": "x-default",
                        "location": translations[item.translation_key][default_language],
                    }
                )
            urls.append(
                {
                    "location": item.get_full_url(self.request),
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates if len(alternates) > 1 else [],
                }
            )
        self.latest_lastmod = max((url["lastmod"] for url in urls if url["lastmod"]), default=None)
        return urls
