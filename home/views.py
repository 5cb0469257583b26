"""Views outside Wagtail's page tree: health check, media files, site search, sitemap."""

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


def search(request):
    """Search the live pages of the visitor's language with Wagtail's search backend."""
    query = request.GET.get("q", "").strip()[:MAX_SEARCH_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(query)
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
    """Every live page of every locale (Wagtail's own sitemap only walks the default site tree)."""

    def items(self):
        return (
            Page.objects.live()
            .public()
            .exclude(depth=1)
            .defer_streamfields()
            .specific()
            .order_by("path")
        )
