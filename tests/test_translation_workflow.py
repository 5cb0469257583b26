"""The editor's translation round trip through wagtail-localize, checked on the rendered /en/ pages.

An editor writes a German lab page, submits it for translation into English, translates every
segment in wagtail-localize's editor (its string-translation API), publishes, changes the German
page, syncs the translation, and exports/imports a PO file. Each step is checked on what an
anonymous visitor sees under /en/.

wagtail-localize saves and publishes translated pages in `transaction.on_commit` callbacks, which
never run inside a test transaction; the `editor` fixture runs them with
`django_capture_on_commit_callbacks(execute=True)`.
"""

import html
import json
import re

import polib
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils.translation import override
from wagtail.rich_text import RichText
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from labs.models import LabIndexPage, LabPage
from tests.conftest import translate
from tests.factories import weekly_meeting

pytestmark = pytest.mark.django_db

LAB_URL_EN = "/en/ok-labs/flensburg/"

# Every German string of the pages below with its English translation. A segment missing here
# makes the helpers fail with a KeyError, so no segment can be skipped unnoticed.
ENGLISH = {
    # Home page and lab index.
    "Code for Germany": "Code for Germany",
    "home": "home",
    "Das Netzwerk der OK Labs.": "The network of the OK Labs.",
    "OK Labs": "OK Labs",
    "ok-labs": "ok-labs",
    "Alle OK Labs im Netzwerk.": "All OK Labs in the network.",
    # The lab page.
    "OK Lab Flensburg": "Open Knowledge Lab Flensburg",
    "flensburg": "flensburg",
    "Flensburg": "Flensburg",
    "Civic Tech im hohen Norden.": "Civic tech in the far north.",
    "Aktivitetshuset": "Aktivitetshuset",
    "Norderstraße 49": "Norderstraße 49",
    "Im Hinterhaus, bitte zweimal klingeln.": "In the rear building, please ring twice.",
    "Was wir machen": "What we do",
    "Wir bauen offene Werkzeuge für Flensburg.": "We build open tools for Flensburg.",
    "Jede und jeder ist willkommen.": "Everyone is welcome.",
}

# wagtail-localize's confirmation in the admin's language (German, the editors' default).
PUBLISHED = "'Open Knowledge Lab Flensburg' in Englisch veröffentlicht."

# The German edit of step 3: one paragraph rewritten, one heading added.
CHANGED_PARAGRAPH = "Jede und jeder ist herzlich willkommen, auch ohne Vorkenntnisse."
NEW_HEADING = "Wo wir uns treffen"


# --- Helpers -------------------------------------------------------------------------------------


def visit(url):
    """Status code and HTML of `url` for an anonymous visitor (a client of its own)."""
    response = Client().get(url)
    return response.status_code, response.content.decode()


def write_german_lab(page):
    """Give the German lab an intro, a body (heading + two paragraphs), a meeting with notes.

    Values are stored as the admin's form stores them: optional texts are "" rather than absent
    (see test_struct_block_without_an_optional_text_cannot_be_submitted).
    """
    page.intro = "Civic Tech im hohen Norden."
    page.body = [
        ("heading", {"text": "Was wir machen", "level": "h2", "anchor": ""}),
        ("paragraph", RichText("<p>Wir bauen offene Werkzeuge für Flensburg.</p>")),
        ("paragraph", RichText("<p>Jede und jeder ist willkommen.</p>")),
    ]
    page.meetings = [weekly_meeting(notes="Im Hinterhaus, bitte zweimal klingeln.")]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def edit_german_lab(page):
    """Rewrite the second paragraph, add a heading and change the founding year; publish.

    The blocks keep their ids, as they do when an editor changes a page in the admin.
    """
    page = LabPage.objects.get(pk=page.pk)
    blocks = [dict(block) for block in page.body.raw_data]
    assert [block["type"] for block in blocks] == ["heading", "paragraph", "paragraph"]
    blocks[2]["value"] = f"<p>{CHANGED_PARAGRAPH}</p>"
    blocks.append({"type": "heading", "value": {"text": NEW_HEADING, "level": "h2", "anchor": ""}})
    page.body = blocks
    page.founding_year = 2021
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translation_of(page, locale):
    """The wagtail-localize Translation that produces `page` in `locale`."""
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale=locale, enabled=True
    )


def untranslated_sources(translation):
    """The source texts of the translation's string segments that have no English text yet."""
    return {
        segment.string.data
        for segment in StringSegment.objects.filter(source=translation.source)
        .annotate_translation(translation.target_locale)
        .filter(translation__isnull=True)
        .select_related("string")
    }


def string_translations(page, locale):
    """The StringTranslations made for `page`'s strings into `locale` (current and obsolete)."""
    return StringTranslation.objects.filter(context__object_id=page.translation_key, locale=locale)


def messages_shown(response):
    """The admin messages of a response as plain text (Wagtail renders them as HTML)."""
    return [html.unescape(str(message)).strip() for message in get_messages(response.wsgi_request)]


class Editor:
    """A logged-in editor who drives wagtail-localize's admin views like the browser does."""

    def __init__(self, client, capture_on_commit):
        self.client = client
        self.capture_on_commit = capture_on_commit

    def submit_for_translation(self, page, locale):
        """The "Translate this page" form with one locale ticked; returns the new page."""
        url = reverse("wagtail_localize:submit_page_translation", args=[page.id])
        assert self.client.get(url).status_code == 200
        with self.capture_on_commit(execute=True):
            response = self.client.post(url, {"locales": [locale.id]})
        translated = page.get_translation(locale)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[translated.id])
        return translated.specific

    def editor_props(self, translated_page):
        """The props the translation editor (a React app) is rendered with on the edit view."""
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[translated_page.id]))
        assert response.status_code == 200
        match = re.search(r'class="js-translation-editor" data-props="([^"]*)"', response.text)
        assert match, "the edit view is not wagtail-localize's translation editor"
        return json.loads(html.unescape(match.group(1)))

    def translate_segments(self, translated_page, texts=ENGLISH, only=None):
        """Type a translation into each string segment of the editor (PUT to its editUrl).

        `only`: the source texts to translate; all segments when None. Returns the sources done.
        """
        done = []
        for segment in self.editor_props(translated_page)["segments"]:
            if segment["type"] != "string" or (only is not None and segment["source"] not in only):
                continue
            value = texts[segment["source"]]
            response = self.client.put(
                segment["editUrl"],
                data=encode_multipart(BOUNDARY, {"value": value}),
                content_type=MULTIPART_CONTENT,
            )
            assert response.status_code in (200, 201), response.content
            assert response.json()["data"] == value
            done.append(segment["source"])
        return done

    def publish(self, translated_page):
        """The translation editor's "Publish in English" button; returns the messages shown."""
        url = reverse("wagtailadmin_pages:edit", args=[translated_page.id])
        with self.capture_on_commit(execute=True):
            response = self.client.post(url, {"action": "publish"})
        assert response.status_code == 302
        assert response["Location"] == url
        translated_page.refresh_from_db()
        return messages_shown(response)

    def sync(self, source_page, publish=True):
        """The German page's "Sync translated pages" form (the update-translations view)."""
        source = TranslationSource.objects.get_for_instance(source_page)
        url = reverse("wagtail_localize:update_translations", args=[source.id])
        assert self.client.get(url).status_code == 200
        data = {"publish_translations": "on"} if publish else {}
        with self.capture_on_commit(execute=True):
            response = self.client.post(url, data)
        assert response.status_code == 302

    def download_po(self, translated_page):
        """The editor's "Download PO file", parsed with polib."""
        links = self.editor_props(translated_page)["links"]
        response = self.client.get(links["downloadPofile"])
        assert response.status_code == 200
        assert response["Content-Type"] == "text/x-gettext-translation"
        assert response["Content-Disposition"] == "attachment; filename=ok-lab-flensburg-en.po"
        return polib.pofile(response.content.decode())

    def upload_po(self, translated_page, po):
        """The editor's "Upload PO file" (a multipart form); returns the messages shown."""
        links = self.editor_props(translated_page)["links"]
        edit_url = reverse("wagtailadmin_pages:edit", args=[translated_page.id])
        upload = SimpleUploadedFile(
            "ok-lab-flensburg-en.po", str(po).encode(), content_type="text/x-gettext-translation"
        )
        response = self.client.post(links["uploadPofile"], {"file": upload, "next": edit_url})
        assert response.status_code == 302
        assert response["Location"] == edit_url
        return messages_shown(response)


@pytest.fixture
def editor(admin_client_logged_in, django_capture_on_commit_callbacks):
    return Editor(admin_client_logged_in, django_capture_on_commit_callbacks)


@pytest.fixture
def english_parents(editor, home_page, lab_index, english):
    """The home page and the lab index translated and published through the admin views."""
    parents = []
    for page in (home_page, lab_index):
        translated = editor.submit_for_translation(page, english)
        editor.translate_segments(translated)
        editor.publish(translated)
        parents.append(translated)
    return parents


@pytest.fixture
def german_lab(flensburg):
    return write_german_lab(flensburg)


@pytest.fixture
def english_draft(editor, english_parents, german_lab, english):
    """The German lab submitted for translation into English: an untranslated draft."""
    return editor.submit_for_translation(german_lab, english)


def assert_fully_english(page_html):
    """The lab page shows every English text of ENGLISH and none of the translated German ones."""
    for english_text in (
        "Open Knowledge Lab Flensburg",
        "Civic tech in the far north.",
        '<h2 id="what-we-do" class="block-heading">What we do</h2>',
        "<p>We build open tools for Flensburg.</p>",
        "<p>Everyone is welcome.</p>",
        '<p class="meeting__notes">In the rear building, please ring twice.</p>',
        "Every Wednesday, 18:00–21:00",
    ):
        assert english_text in page_html
    for german_text in (
        "Civic Tech im hohen Norden.",
        "Was wir machen",
        "Wir bauen offene Werkzeuge",
        "Jede und jeder",
        "Im Hinterhaus",
    ):
        assert german_text not in page_html


# --- 1. Submitting and 6. nothing German under /en/ ----------------------------------------------


def test_parents_translated_through_the_admin_are_live_in_english(english_parents):
    home_en, index_en = english_parents
    assert home_en.live and index_en.live
    status, page_html = visit("/en/")
    assert status == 200
    assert "The network of the OK Labs." in page_html
    assert "Das Netzwerk der OK Labs." not in page_html
    status, page_html = visit("/en/ok-labs/")
    assert status == 200
    assert "All OK Labs in the network." in page_html


def test_submitting_creates_an_english_draft_that_is_not_live(english_draft, german_lab, english):
    assert english_draft.locale == english
    assert english_draft.translation_key == german_lab.translation_key
    assert english_draft.alias_of_id is None
    assert not english_draft.live
    assert english_draft.has_unpublished_changes
    translation = translation_of(german_lab, english)
    total, translated = translation.get_progress()
    assert total == 11 and translated == 0
    assert visit(LAB_URL_EN)[0] == 404


def test_a_started_translation_publishes_no_german_text_under_en(english_draft, german_lab):
    """With SYNC_LIVE_STATUS_ON_TRANSLATE = False the draft (German texts) stays unpublished."""
    # The draft holds the German texts: exactly what must not reach visitors yet.
    draft = english_draft.get_latest_revision_as_object()
    assert draft.intro == "Civic Tech im hohen Norden."

    status, page_html = visit(LAB_URL_EN)
    assert status == 404
    assert "Civic Tech im hohen Norden." not in page_html
    # The English lab list shows the German lab marked as German and links to the German page,
    # never to the unpublished English URL.
    status, index_html = visit("/en/ok-labs/")
    assert status == 200
    assert f'href="{LAB_URL_EN}"' not in index_html
    assert 'href="/ok-labs/flensburg/" hreflang="de"' in index_html
    assert '<span class="lab-card__language">(in German)</span>' in index_html
    # The German page is untouched.
    assert visit("/ok-labs/flensburg/")[0] == 200


def test_submitting_a_lab_before_its_parents_shows_no_german_aliases_under_en(
    editor, german_lab, english
):
    """The missing English parents are aliases, and the site never serves them.

    wagtail-localize's save_target() calls Page.copy_for_translation(copy_parents=True), and
    Wagtail creates the missing parents as *aliases* of the German pages, live like them. The
    site answers 404 for aliases in the English tree and lists the German pages instead, so no
    German text appears under /en/ until an editor translates the parents.
    """
    lab_en = editor.submit_for_translation(german_lab, english)
    assert not lab_en.live
    index_en = lab_en.get_parent().specific
    home_en = index_en.get_parent().specific
    assert isinstance(index_en, LabIndexPage)
    assert index_en.alias_of_id == german_lab.get_parent().id
    assert home_en.alias_of_id == german_lab.get_parent().get_parent().id
    assert index_en.live and home_en.live
    assert visit("/en/ok-labs/")[0] == 404
    assert visit("/en/")[0] == 404
    assert visit(LAB_URL_EN)[0] == 404
    status, german_html = visit(german_lab.url)
    assert status == 200
    assert 'href="/en/"' not in german_html


def test_struct_block_stored_without_an_optional_text_can_be_submitted(editor, flensburg, english):
    """Regression: a block stored without an optional text key must not break translation.

    The factory's meeting has no "notes" key, as happens to every existing page when an optional
    text field is added to a block later. The blocks give such fields default="", so the value
    loads as "" and wagtail-localize's segment extractor accepts it (with None it raised a
    TypeError and the "Translate this page" view answered 500).
    """
    stored = flensburg.meetings.raw_data[0]["value"]
    assert "notes" not in stored
    assert LabPage.objects.get(pk=flensburg.pk).meetings[0].value["notes"] == ""
    editor.submit_for_translation(flensburg, english)
    assert Translation.objects.filter(target_locale=english).exists()


# --- 2. Translating in the editor and publishing -------------------------------------------------


def test_translating_every_segment_and_publishing_shows_english_under_en(
    editor, english_draft, german_lab, english
):
    translated_sources = editor.translate_segments(english_draft)
    assert len(translated_sources) == 11
    translation = translation_of(german_lab, english)
    assert translation.get_progress() == (11, 11)
    assert untranslated_sources(translation) == set()
    # Typing translations alone publishes nothing.
    assert visit(LAB_URL_EN)[0] == 404

    messages = editor.publish(english_draft)

    assert messages == [PUBLISHED]
    assert english_draft.live and not english_draft.has_unpublished_changes
    status, page_html = visit(LAB_URL_EN)
    assert status == 200
    assert '<html lang="en">' in page_html
    assert_fully_english(page_html)
    # Synchronised fields are copied from the German page, not translated.
    for field in ("lat", "long", "bundesland", "founding_year", "inactive"):
        assert getattr(english_draft, field) == getattr(german_lab, field), field
    assert "Schleswig-Holstein · founded 2023" in page_html
    # The German page still speaks German.
    german_html = visit("/ok-labs/flensburg/")[1]
    assert "Was wir machen" in german_html and "What we do" not in german_html


def test_publishing_with_missing_translations_warns_and_falls_back_to_german(editor, english_draft):
    """Publishing half a translation is possible; the editor is warned, German fills the gaps."""
    editor.translate_segments(english_draft, only={"OK Lab Flensburg", "Was wir machen"})

    messages = editor.publish(english_draft)

    assert messages == [
        "'Open Knowledge Lab Flensburg' in Englisch mit fehlenden Übersetzungen veröffentlicht"
        " - siehe unten."
    ]
    status, page_html = visit(LAB_URL_EN)
    assert status == 200
    assert "What we do" in page_html
    assert "Wir bauen offene Werkzeuge für Flensburg." in page_html


# --- 3. Changing the German page and syncing -----------------------------------------------------


@pytest.fixture
def published_english(editor, english_draft):
    """The lab translated segment by segment and published in English."""
    editor.translate_segments(english_draft)
    editor.publish(english_draft)
    return english_draft


def test_sync_keeps_unchanged_translations_and_marks_changed_segments_untranslated(
    editor, published_english, german_lab, english
):
    translation = translation_of(german_lab, english)
    translations_before = set(string_translations(german_lab, english).values_list("pk", "data"))
    german_lab = edit_german_lab(german_lab)

    editor.sync(german_lab, publish=True)

    # The changed paragraph and the new heading wait for a translation; all else is translated.
    assert untranslated_sources(translation) == {CHANGED_PARAGRAPH, NEW_HEADING}
    assert translation.get_progress() == (12, 10)
    with override("en"):
        assert translation.get_status_display() == "Waiting for translations"
    # No translation made earlier is lost, not even the one of the replaced paragraph.
    translations_after = set(string_translations(german_lab, english).values_list("pk", "data"))
    assert translations_before <= translations_after
    # The PO file offers it to translators as an obsolete entry.
    obsolete = editor.download_po(published_english).obsolete_entries()
    assert [(entry.msgid, entry.msgstr) for entry in obsolete] == [
        ("Jede und jeder ist willkommen.", "Everyone is welcome.")
    ]
    # The published English page keeps its English texts and shows the new German ones.
    status, page_html = visit(LAB_URL_EN)
    assert status == 200
    for unchanged in (
        "Open Knowledge Lab Flensburg",
        "Civic tech in the far north.",
        '<h2 id="what-we-do" class="block-heading">What we do</h2>',
        "<p>We build open tools for Flensburg.</p>",
        '<p class="meeting__notes">In the rear building, please ring twice.</p>',
    ):
        assert unchanged in page_html
    assert f"<p>{CHANGED_PARAGRAPH}</p>" in page_html
    assert f">{NEW_HEADING}</h2>" in page_html
    assert "Everyone is welcome." not in page_html
    # Synchronised fields follow the German page.
    published_english.refresh_from_db()
    assert published_english.founding_year == 2021
    assert "founded 2021" in page_html

    # The editor translates the two new strings and publishes: English again throughout.
    new_texts = {
        CHANGED_PARAGRAPH: "Everyone is very welcome, no experience needed.",
        NEW_HEADING: "Where we meet",
    }
    done = editor.translate_segments(published_english, texts=new_texts, only=set(new_texts))
    assert sorted(done) == sorted(new_texts)
    assert editor.publish(published_english) == [PUBLISHED]
    assert translation.get_progress() == (12, 12)
    page_html = visit(LAB_URL_EN)[1]
    assert "<p>Everyone is very welcome, no experience needed.</p>" in page_html
    assert '<h2 id="where-we-meet" class="block-heading">Where we meet</h2>' in page_html
    assert "<p>We build open tools for Flensburg.</p>" in page_html
    assert CHANGED_PARAGRAPH not in page_html and NEW_HEADING not in page_html


def test_sync_without_publishing_leaves_the_live_english_page_alone(
    editor, published_english, german_lab, english
):
    edit_german_lab(german_lab)

    editor.sync(german_lab, publish=False)

    translation = translation_of(german_lab, english)
    assert untranslated_sources(translation) == {CHANGED_PARAGRAPH, NEW_HEADING}
    page_html = visit(LAB_URL_EN)[1]
    assert "<p>Everyone is welcome.</p>" in page_html
    assert CHANGED_PARAGRAPH not in page_html and NEW_HEADING not in page_html
    assert "founded 2023" in page_html


# --- 4. The same round trip on the model level ---------------------------------------------------


def test_model_level_round_trip_keeps_translations_across_a_source_update(
    german_lab, home_page, lab_index, english, django_capture_on_commit_callbacks
):
    translate(home_page, english, title="Code for Germany", intro="The network of the OK Labs.")
    translate(lab_index, english, title="OK Labs", slug="ok-labs")
    source, created = TranslationSource.get_or_create_from_instance(german_lab)
    assert created
    translation = Translation.objects.create(source=source, target_locale=english)
    segments = source.stringsegment_set.select_related("string", "context")
    for segment in segments:
        StringTranslation.objects.create(
            translation_of=segment.string,
            context=segment.context,
            locale=english,
            data=ENGLISH[segment.string.data],
            translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        )
    assert translation.get_progress() == (11, 11)

    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)

    lab_en = german_lab.get_translation(english)
    assert lab_en.live
    status, page_html = visit(LAB_URL_EN)
    assert status == 200
    assert_fully_english(page_html)

    edit_german_lab(german_lab)
    source.update_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)

    assert untranslated_sources(translation) == {CHANGED_PARAGRAPH, NEW_HEADING}
    assert translation.get_progress() == (12, 10)
    page_html = visit(LAB_URL_EN)[1]
    assert "<p>We build open tools for Flensburg.</p>" in page_html
    assert "What we do" in page_html and "Civic tech in the far north." in page_html
    assert f"<p>{CHANGED_PARAGRAPH}</p>" in page_html and NEW_HEADING in page_html
    assert string_translations(german_lab, english).filter(data="Everyone is welcome.").exists()
    lab_en.refresh_from_db()
    assert lab_en.founding_year == 2021


# --- 5. PO export and import ---------------------------------------------------------------------


def test_po_file_download_fill_in_upload_and_publish(editor, english_draft, german_lab, english):
    po = editor.download_po(english_draft)
    translation = translation_of(german_lab, english)
    assert po.metadata["X-WagtailLocalize-TranslationID"] == str(translation.uuid)
    assert len(po) == 11
    assert all(entry.msgstr == "" for entry in po)
    assert {entry.msgctxt for entry in po} >= {"title", "slug", "city", "intro"}

    for entry in po:
        entry.msgstr = ENGLISH[entry.msgid]
    messages = editor.upload_po(english_draft, po)

    assert messages == ["Übersetzungen erfolgreich von der PO Datei importiert."]
    imported = string_translations(german_lab, english)
    assert imported.count() == 11
    assert set(imported.values_list("tool_name", flat=True)) == {"PO File"}
    assert untranslated_sources(translation) == set()
    # A re-download now carries the uploaded texts.
    assert {entry.msgid: entry.msgstr for entry in editor.download_po(english_draft)} == {
        entry.msgid: ENGLISH[entry.msgid] for entry in po
    }
    assert visit(LAB_URL_EN)[0] == 404

    assert editor.publish(english_draft) == [PUBLISHED]
    status, page_html = visit(LAB_URL_EN)
    assert status == 200
    assert_fully_english(page_html)


def test_po_file_of_another_translation_is_refused(editor, english_draft, german_lab, english):
    po = editor.download_po(english_draft)
    for entry in po:
        entry.msgstr = ENGLISH[entry.msgid]
    po.metadata["X-WagtailLocalize-TranslationID"] = "00000000-0000-0000-0000-000000000000"

    messages = editor.upload_po(english_draft, po)

    assert messages == [
        "Eine PO Datei, die für eine andere Übersetzung erstellt wurde,"
        " kann nicht importiert werden."
    ]
    assert not string_translations(german_lab, english).exists()
