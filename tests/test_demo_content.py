"""The demo site: built from the two source documents, in German and English, repeatable."""

import io

import polib
import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation

from home.models import ContentPage
from labs.models import LabPage
from network.models import ProjectPage
from tests.helpers import PROJECT_DIR

pytestmark = pytest.mark.django_db


def page_tree():
    return sorted(
        Page.objects.filter(depth__gt=1).values_list("locale__language_code", "url_path", "live")
    )


@pytest.fixture
def demo(db):
    call_command("load_demo_content", stdout=io.StringIO())


def test_loading_twice_gives_the_same_tree_in_both_languages(demo):
    first = page_tree()
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert page_tree() == first
    assert "0 documents imported" in out.getvalue()
    german = [path for language, path, _live in first if language == "de"]
    english = [path for language, path, _live in first if language == "en"]
    assert len(german) == len(english) == 14
    assert all(live for _language, _path, live in first)


def test_every_german_page_has_a_real_english_translation(demo):
    for page in Page.objects.filter(depth__gt=1, locale__language_code="de"):
        translation = page.get_translation_or_none(
            page.locale.__class__.objects.get(language_code="en")
        )
        assert translation is not None and translation.alias_of_id is None, page.url_path
        assert Translation.objects.filter(source__object_id=page.translation_key).exists()


def test_labs_carry_the_source_documents_facts(client, demo):
    flensburg = LabPage.objects.get(slug="flensburg", locale__language_code="de")
    meeting = flensburg.meetings[0].value
    assert meeting["weekday"] == "2" and meeting.address() == (
        "Aktivitetshuset, Norderstraße 49, 24939 Flensburg"
    )
    assert (flensburg.bundesland, flensburg.founding_year) == ("schleswig-holstein", 2023)
    assert [link.value["kind"] for link in flensburg.links] == [
        "website", "twitter", "mastodon", "facebook", "github",
    ]  # fmt: skip
    assert ProjectPage.objects.child_of(flensburg).count() == 2
    duesseldorf = LabPage.objects.get(slug="duesseldorf", locale__language_code="de")
    assert duesseldorf.meetings[0].value["rhythm"] == "by-arrangement"
    html = client.get(duesseldorf.url).content.decode()
    assert "Open Data Portal der Landeshauptstadt Düsseldorf" in html
    english = client.get("/en/ok-labs/flensburg/").content.decode()
    assert "What does OK Lab Flensburg do?" in english and "Every Wednesday" in english


def test_network_pages_from_the_duesseldorf_document(client, demo):
    about = client.get("/ueber-code-for-germany/").content.decode()
    assert "Gestartet ist das Programm im Februar 2014" in about
    assert "Woher kommt die Idee zu Code for Germany?" in about
    labs = client.get("/die-open-knowledge-labs/").content.decode()
    assert "Warum OK Labs?" in labs
    assert "/mitmachen/" in labs  # the relative link became a page link
    english = client.get("/en/about-code-for-germany/").content.decode()
    assert "The programme started in February 2014" in english
    for slug in ("impressum", "datenschutz"):
        page = ContentPage.objects.get(slug=slug, locale__language_code="de")
        assert "muss der Betreiber" in client.get(page.url).content.decode()


def test_the_english_po_file_covers_every_segment_of_the_demo(demo):
    english = {entry.msgid for entry in polib.pofile(str(PROJECT_DIR / "home/fixtures/demo/en.po"))}
    segments = set(StringSegment.objects.values_list("string__data", flat=True))
    assert segments and segments <= english


def test_editors_changes_survive_a_second_run(demo):
    lab = LabPage.objects.get(slug="flensburg", locale__language_code="de")
    lab.intro = "Von einer Redakteurin geändert."
    lab.save_revision().publish()
    call_command("load_demo_content", stdout=io.StringIO())
    lab.refresh_from_db()
    assert lab.intro == "Von einer Redakteurin geändert."
