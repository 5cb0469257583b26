"""The anonymous page cache: served from the cache, and fresh the moment editors change anything."""

import gzip
import re
import secrets

import pytest
from django.test import Client

from tests.conftest import translate
from tests.factories import ContentPageFactory
from tests.helpers import clear_caches


@pytest.fixture(autouse=True)
def page_cache(settings, home_page):
    from wagtail.models import Site

    from home.models import SiteSettings

    settings.PAGE_CACHE_SECONDS = 900
    # The settings row is made on first use, and making it retires the cache: make it up front.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    clear_caches()
    yield
    clear_caches()


def anonymous_get(url, **headers):
    return Client().get(url, **headers)


def test_second_anonymous_request_is_served_from_the_cache(flensburg, django_assert_num_queries):
    first = anonymous_get(flensburg.url)
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = anonymous_get(flensburg.url)
    assert second["X-Cache"] == "hit"
    assert second.content.decode().count("OK Lab Flensburg") == first.content.decode().count(
        "OK Lab Flensburg"
    )
    assert second["Cache-Control"] == "public, max-age=60"


def test_a_page_that_uses_a_csp_nonce_gets_a_fresh_one_on_each_hit(rf):
    """No template of ours needs a nonce today; one that does must never share it."""
    from django.http import HttpResponse

    from home.caching import AnonymousPageCacheMiddleware

    def view(request):
        nonce = request._csp_nonce = secrets.token_urlsafe(8)
        return HttpResponse(
            f'<script nonce="{nonce}" src="/static/a.js"></script>',
            headers={"Content-Security-Policy": f"script-src 'nonce-{nonce}'"},
        )

    middleware = AnonymousPageCacheMiddleware(view)
    responses = [middleware(rf.get("/seite/")) for _ in range(3)]
    assert [response["X-Cache"] for response in responses] == ["miss", "hit", "hit"]
    nonces = []
    for response in responses:
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert response["Content-Security-Policy"] == f"script-src 'nonce-{nonce}'"
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_repeated_conditional_request_gets_304(flensburg):
    first = anonymous_get(flensburg.url)
    etag = first["ETag"]
    assert anonymous_get(flensburg.url)["ETag"] == etag  # same ETag from the cache
    again = anonymous_get(flensburg.url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_pages_are_compressed_for_browsers_that_accept_it(flensburg):
    miss = anonymous_get(flensburg.url, HTTP_ACCEPT_ENCODING="gzip, br")
    plain = anonymous_get(flensburg.url)
    hit = anonymous_get(flensburg.url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert (miss["X-Cache"], plain["X-Cache"], hit["X-Cache"]) == ("miss", "hit", "hit")
    assert "Content-Encoding" not in plain
    for response in (miss, hit):
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert len(response.content) * 2 < len(plain.content)
        assert gzip.decompress(response.content) == plain.content
    assert hit["Content-Length"] == str(len(hit.content))
    assert hit["ETag"] == f"W/{plain['ETag']}"
    again = anonymous_get(
        flensburg.url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=hit["ETag"]
    )
    assert again.status_code == 304


def test_languages_are_cached_apart(english_site):
    german = anonymous_get("/ok-labs/flensburg/")
    english = anonymous_get("/en/ok-labs/flensburg/")
    assert anonymous_get("/ok-labs/flensburg/")["X-Cache"] == "hit"
    assert anonymous_get("/en/ok-labs/flensburg/")["X-Cache"] == "hit"
    assert german["Content-Language"] == "de"
    assert english["Content-Language"] == "en"
    assert "Civic tech in the north." in anonymous_get("/en/ok-labs/flensburg/").content.decode()


def test_publish_is_seen_at_once_on_the_page_and_every_index(flensburg, lab_index, home_page):
    for url in (flensburg.url, lab_index.url, home_page.url):
        anonymous_get(url)
        assert anonymous_get(url)["X-Cache"] == "hit"
    flensburg.title = "OK Lab Flensburg-Nord"
    flensburg.save_revision().publish()
    for url in (flensburg.url, lab_index.url):
        response = anonymous_get(url)
        assert response["X-Cache"] == "miss"
        assert "OK Lab Flensburg-Nord" in response.content.decode()
    assert anonymous_get(home_page.url)["X-Cache"] == "miss"


def test_a_draft_changes_nothing_and_is_never_cached(flensburg):
    anonymous_get(flensburg.url)
    flensburg.title = "Entwurfstitel"
    flensburg.save_revision()
    response = anonymous_get(flensburg.url)
    assert response["X-Cache"] == "hit"
    assert "Entwurfstitel" not in response.content.decode()


def test_unpublish_is_seen_at_once(flensburg):
    assert anonymous_get(flensburg.url).status_code == 200
    assert anonymous_get(flensburg.url)["X-Cache"] == "hit"
    flensburg.unpublish()
    assert anonymous_get(flensburg.url).status_code == 404


def test_move_is_seen_at_once(home_page, lab_index):
    page = ContentPageFactory(parent=home_page, title="Wanderseite", slug="wanderseite")
    assert anonymous_get("/wanderseite/").status_code == 200
    assert anonymous_get("/wanderseite/")["X-Cache"] == "hit"
    page.move(lab_index, pos="last-child")
    assert anonymous_get("/wanderseite/").status_code in (301, 404)  # Wagtail may add a redirect
    assert anonymous_get("/ok-labs/wanderseite/").status_code == 200


def test_delete_is_seen_at_once(home_page):
    page = ContentPageFactory(parent=home_page, title="Kurzlebig", slug="kurzlebig")
    anonymous_get("/kurzlebig/")
    assert anonymous_get("/kurzlebig/")["X-Cache"] == "hit"
    page.delete()
    assert anonymous_get("/kurzlebig/").status_code == 404


def test_translation_is_seen_at_once(home_page, lab_index, flensburg, english):
    translate(home_page, english, title="Code for Germany")
    translate(lab_index, english, title="OK Labs", slug="ok-labs")
    before = anonymous_get("/ok-labs/flensburg/")
    assert anonymous_get("/ok-labs/flensburg/")["X-Cache"] == "hit"
    assert anonymous_get("/en/ok-labs/flensburg/").status_code == 404
    translate(flensburg, english, intro="Civic tech in the north.")
    after = anonymous_get("/ok-labs/flensburg/")
    assert after["X-Cache"] == "miss"
    assert after.content != before.content  # the language switcher now links the translation
    assert "/en/ok-labs/flensburg/" in after.content.decode()
    assert "Civic tech in the north." in anonymous_get("/en/ok-labs/flensburg/").content.decode()


def test_settings_and_snippets_invalidate(flensburg):
    from home.models import FooterText, SiteSettings

    anonymous_get(flensburg.url)
    assert anonymous_get(flensburg.url)["X-Cache"] == "hit"
    site_settings = SiteSettings.for_site(flensburg.get_site())
    site_settings.contact_email = "neu@example.org"
    site_settings.save()
    assert anonymous_get(flensburg.url)["X-Cache"] == "miss"
    assert anonymous_get(flensburg.url)["X-Cache"] == "hit"
    FooterText.objects.create(body="<p>Ein neuer Fußtext.</p>", locale=flensburg.locale)
    assert "Ein neuer Fußtext." in anonymous_get(flensburg.url).content.decode()


def test_logged_in_views_are_never_stored_nor_served(flensburg, admin_client_logged_in):
    editor_view = admin_client_logged_in.get(flensburg.url)
    assert "X-Cache" not in editor_view
    assert "private" in editor_view["Cache-Control"]
    assert "no-cache" in editor_view["Cache-Control"]
    anonymous = anonymous_get(flensburg.url)
    assert anonymous["X-Cache"] == "miss"  # the editor's view was not stored
    assert "userbar" not in anonymous.content.decode()
    assert "X-Cache" not in admin_client_logged_in.get(flensburg.url)  # nor served to the editor


def test_previews_are_never_cached(flensburg, admin_client_logged_in):
    from django.urls import reverse

    anonymous_get(flensburg.url)
    flensburg.title = "Vorschau des Entwurfs"
    flensburg.save_revision()
    url = reverse("wagtailadmin_pages:view_draft", args=[flensburg.id])
    draft = admin_client_logged_in.get(url)
    assert "Vorschau des Entwurfs" in draft.content.decode()
    assert "X-Cache" not in draft
    response = anonymous_get(flensburg.url)
    assert "Vorschau des Entwurfs" not in response.content.decode()
    assert anonymous_get(url).status_code == 302  # the draft URL asks anonymous visitors to log in


def test_visitors_with_a_session_or_csrf_cookie_bypass_the_cache(flensburg):
    anonymous_get(flensburg.url)
    with_csrf = Client()
    with_csrf.cookies["csrftoken"] = "x" * 32
    assert "X-Cache" not in with_csrf.get(flensburg.url)
    with_session = Client()
    with_session.cookies["sessionid"] = "nonexistent"
    assert "X-Cache" not in with_session.get(flensburg.url)


def test_query_strings_and_admin_and_posts(flensburg):
    anonymous_get(flensburg.url + "?a=1")
    assert anonymous_get(flensburg.url + "?a=1")["X-Cache"] == "hit"
    assert anonymous_get(flensburg.url + "?a=2")["X-Cache"] == "miss"
    assert "X-Cache" not in anonymous_get("/admin/login/")


def test_feeds_calendars_and_json_are_invalidated_too(flensburg):
    urls = ["/api/v1/labs.json", "/calendar/de/labs.ics", "/feeds/de/news.rss", "/sitemap.xml"]
    for url in urls:
        assert anonymous_get(url).status_code == 200, url
        assert anonymous_get(url)["X-Cache"] == "hit", url
    flensburg.title = "OK Lab Flensburg-Nord"
    flensburg.save_revision().publish()
    for url in urls:
        assert anonymous_get(url)["X-Cache"] == "miss", url
    assert "OK Lab Flensburg-Nord" in anonymous_get("/api/v1/labs.json").content.decode()


def test_media_and_health_checks_are_not_stored(flensburg):
    assert "X-Cache" not in anonymous_get("/healthz")


def test_entries_expire_after_page_cache_seconds(settings, flensburg):
    """Next-meeting dates roll over: nothing is kept longer than PAGE_CACHE_SECONDS."""
    from unittest import mock

    from django.core.cache import caches

    pages = caches["pages"]
    anonymous_get(flensburg.url)
    with mock.patch.object(pages, "set", wraps=pages.set) as cache_set:
        anonymous_get(flensburg.url + "?fresh")
    assert cache_set.call_args.args[2] == settings.PAGE_CACHE_SECONDS
