"""Full-page cache for anonymous visitors, invalidated site-wide the moment editors change content.

Design (simple and correct for a site of this size, a few thousand pages):

- `AnonymousPageCacheMiddleware` keeps whole GET/HEAD responses of anonymous visitors (no session
  or CSRF cookie) in the worker's memory (the "pages" cache), keyed by scheme, host, full path
  (the language prefix is part of it: / is German, /en/ English) and query string. Only 200
  responses without Set-Cookie, without `private`/`no-cache`/`no-store` and outside the admin are
  stored, so previews, drafts and logged-in views (all under /admin/ or with a session cookie) are
  never stored nor served.
- Every key contains a site-wide generation number kept in the "default" cache, which every
  worker shares (files on one machine, Redis across machines). Publishing, unpublishing, moving,
  deleting or translating a page, saving a snippet (topics, footer), a setting, a site, a redirect
  or an image bumps it, which retires every cached page of every worker at once: each index, the
  home page, the map, the feeds, the calendars and the JSON. A hit thus reads one small shared
  value and one entry from memory.
- Entries live at most PAGE_CACHE_SECONDS (15 minutes by default), so "next meeting" dates roll
  over without any edit.
- The CSP nonce is never shared between visitors: a stored body keeps a placeholder that each hit
  replaces with a fresh nonce, in the body and in the Content-Security-Policy header. The ETag is
  computed from the placeholder form, so ConditionalGetMiddleware answers repeated conditional
  requests with 304 whether the page came from the cache or not.
- A page without a nonce is stored gzip-compressed only (with its ETag), so a hit for a browser
  that accepts gzip costs neither compression nor hashing, and reads a small entry; the rare
  client without gzip gets it decompressed. GZipMiddleware compresses everything else.
"""

import gzip
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache, caches
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "pagecache:generation"
_MISSING = object()
NONCE_PLACEHOLDER = b"__oklab_csp_nonce__"
# The admin (previews and drafts live there), uploads (large, and served with their own long
# Cache-Control), documents (may be private) and the health check.
NEVER_CACHED_PREFIXES = ("/admin/", "/django-admin/", "/media/", "/documents/", "/healthz")
HOP_HEADERS = {"set-cookie", "content-length", "etag", "x-cache"}
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")


def page_cache_seconds():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A fresh cache (or an evicted counter): start from a random number, so keys of an older
        # generation that might still linger are never read again.
        cache.add(GENERATION_KEY, secrets.randbelow(2**31), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def bump_generation(**kwargs):
    """Retire every cached page at once (on every instance that shares the cache)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(GENERATION_KEY, secrets.randbelow(2**31), timeout=None)


def per_generation(name, build, timeout=3600):
    """`build()`'s result, kept until the next publish (or `timeout`): menu, footer, settings."""
    key = f"fragment:{generation()}:{name}"
    value = caches["pages"].get(key, _MISSING)
    if value is _MISSING:  # None is a result too (e.g. no project index yet)
        value = build()
        caches["pages"].set(key, value, timeout)
    return value


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(NEVER_CACHED_PREFIXES):
        return False
    cookies = request.COOKIES
    return not (settings.SESSION_COOKIE_NAME in cookies or settings.CSRF_COOKIE_NAME in cookies)


def _cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


def _cache_key(request, gen):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"pagecache:v3:{gen}:{request.method}:{digest}"


def _strip_nonce(request, response):
    """(body with the request's CSP nonce replaced by the placeholder, header dict likewise)."""
    nonce = getattr(request, "_csp_nonce", None)
    body = response.content
    headers = {k: v for k, v in response.items() if k.lower() not in HOP_HEADERS}
    if nonce:  # only true when the nonce was generated (used) for this response
        raw = str(nonce)
        body = body.replace(raw.encode(), NONCE_PLACEHOLDER)
        headers = {k: v.replace(raw, NONCE_PLACEHOLDER.decode()) for k, v in headers.items()}
    return body, headers


def _etag(body):
    return quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())


class AnonymousPageCacheMiddleware:
    """See the module docstring. Listed after WhiteNoise and before the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = page_cache_seconds()
        use_cache = seconds > 0 and _cacheable_request(request)
        if use_cache:
            key = _cache_key(request, generation())
            stored = caches["pages"].get(key)
            if stored is not None:
                return self._from_cache(request, stored)

        response = self.get_response(request)

        if use_cache and _cacheable_response(response):
            body, headers = _strip_nonce(request, response)
            response["ETag"] = _etag(body)
            if "Cache-Control" not in response:
                patch_cache_control(response, public=True, max_age=settings.PAGE_BROWSER_MAX_AGE)
                headers["Cache-Control"] = response["Cache-Control"]
            response["X-Cache"] = "miss"
            compressed = None if NONCE_PLACEHOLDER in body else compress_string(body)
            plain = body if compressed is None else None  # one form is kept, not both
            entry = (response.status_code, headers, response["ETag"], plain, compressed)
            caches["pages"].set(key, entry, seconds)
        elif self._logged_in(request) and response.get("Content-Type", "").startswith("text/"):
            # Never let a browser or proxy keep what an editor sees for someone else.
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_cache=True)
        elif not response.streaming and response.status_code == 200 and "ETag" not in response:
            body, _headers = _strip_nonce(request, response)
            response["ETag"] = _etag(body)
        return response

    @staticmethod
    def _logged_in(request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)

    @staticmethod
    def _from_cache(request, stored):
        status, headers, etag, body, compressed = stored
        if compressed is not None and ACCEPTS_GZIP.search(
            request.headers.get("Accept-Encoding", "")
        ):
            response = HttpResponse(compressed, status=status, headers=headers)
            response["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ("Accept-Encoding",))
            etag = f"W/{etag}"  # as GZipMiddleware marks a compressed representation
        elif compressed is not None:
            response = HttpResponse(gzip.decompress(compressed), status=status, headers=headers)
        else:
            nonce = secrets.token_urlsafe(16)
            response = HttpResponse(body.replace(NONCE_PLACEHOLDER, nonce.encode()), status=status)
            for name, value in headers.items():
                response[name] = value.replace(NONCE_PLACEHOLDER.decode(), nonce)
        response["Content-Length"] = str(len(response.content))
        response["ETag"] = etag
        response["X-Cache"] = "hit"
        return response


# What invalidates: every change to what a visitor can see.
page_published.connect(bump_generation, dispatch_uid="pagecache-published")
page_unpublished.connect(bump_generation, dispatch_uid="pagecache-unpublished")
post_page_move.connect(bump_generation, dispatch_uid="pagecache-moved")


def _invalidates(sender):
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Locale, Page, Site

    return (
        issubclass(sender, (Page, Site, Locale, Redirect, AbstractImage, AbstractDocument))
        or issubclass(sender, (BaseSiteSetting, BaseGenericSetting))
        or hasattr(sender, "snippet_viewset")
    )


@receiver(post_save, dispatch_uid="pagecache-saved")
def _bump_on_save(sender, instance, raw=False, created=False, **kwargs):
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import Page

    if raw or not _invalidates(sender):
        return
    if isinstance(instance, Page) and (not instance.live or instance.has_unpublished_changes):
        return  # a draft: nothing visible changed (publishing sends page_published)
    if created and isinstance(instance, (BaseSiteSetting, BaseGenericSetting)):
        return  # made with its defaults on first use (for_request); editors' saves update it
    bump_generation()


@receiver(post_delete, dispatch_uid="pagecache-deleted")
def _bump_on_delete(sender, instance, **kwargs):
    if _invalidates(sender):
        bump_generation()
