"""Hostile input: every path that takes text renders it inert.

The corpus (tests/fixtures/hostile_inputs.txt) goes through page titles, every field of every
block of the body, rich-text links, the Markdown importer, the search, the listing filters, the
feed addresses and the JSON API. What comes back must carry none of it as markup: no raw string
with "<", no element or attribute the site does not write itself (scripts, frames, event
handlers), no javascript:/data: link, and template syntax shown as text, never evaluated.
Also regression tests for the classes of Wagtail's published advisories.
"""

import html
import io
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail import blocks
from wagtail.rich_text import RichText

from home.blocks import BaseStreamBlock
from home.models import ContentPage
from home.views import MAX_SEARCH_QUERY_LENGTH
from tests.factories import (
    ContentPageFactory,
    EventIndexPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from tests.test_editors import (  # noqa: F401  (fixtures)
    about,
    duesseldorf,
    flensburg_editor,
    news_index,
    site,
)

pytestmark = pytest.mark.django_db

CORPUS_FILE = Path(__file__).parent / "fixtures" / "hostile_inputs.txt"
ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")


def load_corpus():
    strings = []
    for line in CORPUS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("# "):
            continue
        strings.append(ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), line))
    strings.append("Ü" * 300 + "<script>alert('lang')</script>")  # over-long
    return strings


HOSTILE = load_corpus()
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset"}
# The site draws its map as inline SVG itself; scripts and handlers inside it are caught below.
FOREIGN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def storable(text):
    """What a database column can hold: PostgreSQL refuses NUL, Django's forms refuse it too."""
    return text.replace("\x00", "")


class MarkupAudit(HTMLParser):
    """Collect every way a response could run code or leave the site."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FOREIGN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.problems.append("<meta http-equiv>")
        attributes = dict(attrs)
        if tag == "script" and not (
            attributes.get("type") == "application/ld+json"
            or (attributes.get("src") or "").startswith("/static/")
        ):
            self.problems.append(f"<script {attributes}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name == "style":
                self.problems.append(f"{tag} style=")
            if name in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                if squeezed.startswith(UNSAFE_SCHEMES):
                    self.problems.append(f"{tag} {name}={value!r}")


def assert_inert(content, payloads=HOSTILE):
    text = content.decode() if isinstance(content, bytes) else content
    audit = MarkupAudit()
    audit.feed(text)
    assert audit.problems == []
    for payload in payloads:
        if "<" in payload:
            markup = storable(payload)
            assert markup[markup.index("<") :][:120] not in text, payload
    assert "sql_queries" not in text  # {% debug %} never ran


# --- Values for every block ----------------------------------------------------------------------


def hostile_value(block, text):
    """A value for `block` with `text` in every field that takes text."""
    if isinstance(block, blocks.StreamBlock):
        return [(name, hostile_value(child, text)) for name, child in block.child_blocks.items()]
    if isinstance(block, blocks.ListBlock):
        return [hostile_value(block.child_block, text)]
    if isinstance(block, blocks.StructBlock):
        return {name: hostile_value(child, text) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.RichTextBlock):
        return RichText(
            f"<p>{html.escape(text)}</p>"
            '<p><a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a>'
            f' <a href="https://example.org/?q={html.escape(text)}">{html.escape(text)}</a></p>'
        )
    if isinstance(block, blocks.URLBlock):
        return "https://example.org/"
    if isinstance(block, blocks.EmailBlock):
        return "lab@example.org"
    if isinstance(block, blocks.ChoiceBlock):
        return block.field.choices[-1][0]
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        return text
    return block.get_default()


@pytest.fixture
def sections(home_page):
    return {
        "projects": ProjectIndexPageFactory(parent=home_page),
        "news": NewsIndexPageFactory(parent=home_page),
        "events": EventIndexPageFactory(parent=home_page),
    }


def test_every_block_and_the_title_render_hostile_text_inert(home_page):
    stream = BaseStreamBlock()
    client = Client()
    for number, payload in enumerate(HOSTILE):
        text = storable(payload)
        page = ContentPageFactory(parent=home_page, title=text[:255], slug=f"feind-{number}")
        page.body = hostile_value(stream, text)
        page.save_revision().publish()
        response = client.get(page.url)
        assert response.status_code == 200, payload
        assert_inert(response.content, [payload])
        if payload == "{{ 7*7 }}":
            assert "{{ 7*7 }}" in response.content.decode()


def test_every_stream_block_type_is_covered_and_none_is_a_table_block():
    """GHSA-p5cm-246w-84jm (TableBlock attribute XSS): the site has no TableBlock anywhere."""
    from django.apps import apps
    from wagtail.fields import StreamField

    def walk(block):
        yield block
        for child in getattr(block, "child_blocks", {}).values():
            yield from walk(child)
        if isinstance(block, blocks.ListBlock):
            yield from walk(block.child_block)

    found = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                for block in walk(field.stream_block):
                    found += 1
                    assert type(block).__name__ not in {"TableBlock", "TypedTableBlock"}, model
                    assert not type(block).__module__.startswith("wagtail.contrib.table_block")
    assert found > 50


def test_text_blocks_are_escaped_by_include_block(home_page):
    """GHSA-xfrw-hxr5-ghqf: a CharBlock/TextBlock rendered by {% include_block %} is escaped."""
    page = ContentPageFactory(parent=home_page, slug="zitat")
    page.body = [("quote", {"quote": "<script>alert(1)</script>", "attribution": "<b>x</b>"})]
    page.save_revision().publish()
    content = Client().get(page.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<b>x</b>" not in content


def test_javascript_links_stored_in_rich_text_are_not_rendered(home_page):
    """GHSA-wq5h-f9p5-q7fx: a javascript: link written straight into the database."""
    page = ContentPageFactory(parent=home_page, slug="links")
    page.body = [
        (
            "paragraph",
            RichText(
                '<p><a href="javascript:alert(1)">a</a><a href=" JAVASCRIPT:alert(2)">b</a>'
                '<a href="&#106;avascript:alert(3)">c</a><a href="data:text/html,x">d</a>'
                '<a href="vbscript:msgbox(1)">e</a><a href="https://example.org/">gut</a></p>'
            ),
        )
    ]
    page.save_revision().publish()
    content = Client().get(page.url).content.decode()
    assert_inert(content)
    assert 'href="https://example.org/"' in content


def test_url_blocks_refuse_javascript_urls():
    from django.core.exceptions import ValidationError

    for url in ("javascript:alert(1)", "data:text/html,x", "vbscript:x"):
        with pytest.raises(ValidationError):
            blocks.URLBlock().clean(url)


def test_the_importer_turns_hostile_markdown_inert(home_page, tmp_path):
    lines = ["---", 'title: "Feindlich <script>alert(1)</script>"', "---", ""]
    for payload in HOSTILE:
        lines += [
            storable(payload),
            "",
            f"[link]({payload.split()[0] if payload.strip() else 'x'})",
            "",
        ]
    lines += ["[js](javascript:alert(1))", "", "<script>alert(2)</script>", ""]
    lines += ['<a href="javascript:alert(3)" onclick="alert(4)">roh</a>', ""]
    source = tmp_path / "feindlich.md"
    source.write_text("\n".join(lines), encoding="utf-8")
    call_command(
        "import_markdown",
        str(source),
        parent=str(home_page.pk),
        type="content",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    page = ContentPage.objects.get(slug="feindlich")
    page.save_revision().publish()
    response = Client().get(page.url)
    assert response.status_code == 200
    assert_inert(response.content)


def test_search_shows_hostile_queries_as_text(home_page):
    client = Client()
    for payload in HOSTILE:
        for prefix in ("/", "/en/"):
            response = client.get(f"{prefix}search/", {"q": payload})
            assert response.status_code == 200, payload
            if response.status_code == 200:
                assert_inert(response.content, [payload])


def test_a_pathological_search_query_is_cut_and_answers_quickly(home_page):
    """GHSA-jmp3-39vp-fwg8 (search query ReDoS): a huge query is cut to 200 characters."""
    query = ("a" * 50 + " OR " + '"' * 30 + "(" * 30 + "\\" * 30) * 2000
    started = time.monotonic()
    response = Client().get("/search/", {"q": query})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert len(response.context["search_query"]) == MAX_SEARCH_QUERY_LENGTH
    assert elapsed < 5, elapsed
    print(f"\nsearch of a {len(query):,}-character query: {elapsed:.2f} s")  # noqa: T201


def test_listing_filters_ignore_hostile_parameters(home_page, lab_index, flensburg, sections):
    ProjectPageFactory(parent=sections["projects"])
    NewsPageFactory(parent=sections["news"])
    client = Client()
    urls = [lab_index.url, *(page.url for page in sections.values())]
    for payload in HOSTILE:
        names = ("topic", "lab", "status", "bundesland", "category", "page", "when")
        params = dict.fromkeys(names, payload)
        for url in urls:
            response = client.get(url, params)
            assert response.status_code == 200, (url, payload)
            assert_inert(response.content, [payload])


def test_feed_addresses_and_content_stay_inert(home_page, lab_index, flensburg, sections):
    NewsPageFactory(
        parent=sections["news"],
        title=storable("<script>alert(1)</script> {{ 7*7 }}"),
        excerpt="<img src=x onerror=alert(1)>",
    )
    client = Client()
    feed = client.get("/feeds/de/news.rss")
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "<script>" not in body and "<img" not in body
    for payload in HOSTILE:
        for path in (f"/feeds/{payload}/news.rss", f"/feeds/de/labs/{payload}/news.rss"):
            response = client.get(path)
            assert response.status_code in (301, 404), (path, response.status_code)
            assert_inert(response.content, [payload])


def test_json_api_refuses_hostile_languages_as_json(home_page, lab_index, flensburg):
    client = Client()
    for payload in HOSTILE:
        for address in ("/api/v1/labs.json", "/api/v1/projects.json"):
            response = client.get(address, {"language": payload})
            assert response.status_code == 400, payload
            assert response["Content-Type"].startswith("application/json")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "error" in response.json()


# --- Permission bypasses through admin URLs ------------------------------------------------------


def refused(response):
    """Wagtail refuses with a redirect to the dashboard, a 403 or a 404, never with the view."""
    if response.status_code == 302:
        return response["Location"].split("?")[0] in {
            reverse("wagtailadmin_home"),
            reverse("wagtailadmin_login"),
        }
    return response.status_code in (403, 404, 405)


def test_a_lab_editor_reaches_nothing_of_another_lab_through_admin_urls(
    site,  # noqa: F811
    flensburg_editor,  # noqa: F811
):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page

    from home.models import CustomImage
    from tests.factories import ImageFactory
    from tests.test_editors import client_for, lab_collection

    other = site.duesseldorf
    foreign_image = ImageFactory(collection=lab_collection(other))
    client = client_for(flensburg_editor)
    pages_before = sorted(Page.objects.values_list("id", "path", "title", "live"))
    get_urls = [
        reverse("wagtailadmin_pages:edit", args=[other.id]),
        reverse("wagtailadmin_pages:delete", args=[other.id]),
        reverse("wagtailadmin_pages:move", args=[other.id]),
        reverse("wagtailadmin_pages:copy", args=[other.id]),
        reverse("wagtailadmin_pages:unpublish", args=[other.id]),
        reverse("wagtailadmin_pages:history", args=[other.id]),
        reverse("wagtailadmin_pages:set_privacy", args=[other.id]),
        reverse("wagtailadmin_pages:add_subpage", args=[other.id]),
        reverse("wagtailimages:edit", args=[foreign_image.id]),
        reverse("wagtailimages:delete", args=[foreign_image.id]),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:add"),
        reverse("wagtailusers_users:edit", args=[flensburg_editor.id]),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailredirects:index"),
        reverse("wagtailsettings:edit", args=["home", "sitesettings"]),
        reverse("wagtaillocales:index"),
        reverse("wagtailadmin_workflows:index"),
    ]
    for url in get_urls:
        assert refused(client.get(url)), url
    post_urls = [
        (reverse("wagtailadmin_pages:delete", args=[other.id]), {}),
        (reverse("wagtailadmin_pages:unpublish", args=[other.id]), {}),
        (
            reverse("wagtailadmin_pages:move_confirm", args=[other.id, site.flensburg.id]),
            {},
        ),
        (
            reverse("wagtailadmin_pages:move_confirm", args=[site.flensburg.id, other.id]),
            {},
        ),
        (
            reverse("wagtailadmin_pages:copy", args=[other.id]),
            {"new_title": "Kopie", "new_slug": "kopie", "new_parent_page": site.flensburg.id},
        ),
        (reverse("wagtailadmin_pages:lock", args=[other.id]), {}),
        (reverse("wagtailimages:delete", args=[foreign_image.id]), {}),
        (
            reverse("wagtailusers_users:edit", args=[flensburg_editor.id]),
            {"username": "fl", "is_superuser": "on", "groups": [Group.objects.first().id]},
        ),
        (reverse("wagtailredirects:add"), {"old_path": "/x", "redirect_link": "https://e.org"}),
        (
            reverse("wagtailsettings:edit", args=["home", "sitesettings"]),
            {"contact_email": "evil@example.org"},
        ),
    ]
    for url, data in post_urls:
        assert refused(client.post(url, data)), url
    # Bulk actions over the other lab's page.
    for action in ("delete", "unpublish", "move", "publish"):
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
        response = client.post(f"{url}?id={other.id}", {"chooser": site.flensburg.id})
        assert response.status_code != 200 or str(other.id) not in response.content.decode()
    # Wagtail's admin API (used by the page chooser) lists no draft of the other lab's pages.
    api = client.get(f"/admin/api/main/pages/{other.id}/")
    assert api.status_code in (200, 403, 404)
    assert sorted(Page.objects.values_list("id", "path", "title", "live")) == pages_before
    assert CustomImage.objects.filter(pk=foreign_image.pk).exists()
    assert not Redirect.objects.filter(old_path="/x").exists()
    user = get_user_model().objects.get(pk=flensburg_editor.pk)
    assert not user.is_superuser


# --- Uploads -------------------------------------------------------------------------------------


def test_an_oversized_upload_is_refused_without_being_held_in_memory(django_user_model):
    """GHSA-33pv-vcgh-jfg9 (upload memory exhaustion): a 30 MB upload streams to a temporary
    file and is refused by its size; the request never holds it in memory as a whole."""
    import tracemalloc

    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
    from django.urls import resolve

    from home.models import CustomImage

    user = django_user_model.objects.create_superuser("gross", "g@example.org", "pw")
    size = 30 * 1024 * 1024
    from PIL import Image as PILImage

    header = io.BytesIO()
    PILImage.new("RGB", (4, 3)).save(header, "PNG")
    upload = io.BytesIO(header.getvalue() + b"\x00" * size)
    upload.name = "riesig.png"
    url = reverse("wagtailimages:add")
    request = RequestFactory().post(url, {"title": "Riesig", "file": upload, "collection": 1})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    view = resolve(url).func
    tracemalloc.start()
    try:
        response = view(request)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200  # the form again, with its error
    errors = response.context_data["form"].errors.get("file", [])
    assert any("too big" in error or "zu groß" in error for error in errors), errors
    assert not CustomImage.objects.exists()
    print(f"\n30 MB upload refused; peak extra memory {peak / 2**20:.1f} MB")  # noqa: T201
    assert peak < 8 * 1024 * 1024
