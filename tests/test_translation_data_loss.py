"""wagtail-localize's known data-loss paths, pinned on this site.

- #502: the German page edited and synced many times keeps every English segment whose German
  text did not change.
- #607: a translation that is stopped becomes an ordinary page: manual edits survive saving and
  later syncs of the German page.
- #876: "Start Synced translation" again: the translation editor's texts replace the manual
  edits at the next sync. wagtail-localize does that silently; the site warns the editor
  (editors/wagtail_hooks.py) and this test pins both.
- #861: a German draft is never half-synced: sync reads the published German page only.
"""

import pytest
from django.urls import reverse

from labs.models import LabPage
from tests.test_translation_workflow import (  # noqa: F401  (fixtures)
    ENGLISH,
    LAB_URL_EN,
    editor,
    english_draft,
    english_parents,
    german_lab,
    messages_shown,
    translation_of,
    untranslated_sources,
    visit,
)

pytestmark = pytest.mark.django_db

MANUAL_INTRO = "Hand-written: civic tech by the Baltic Sea."


@pytest.fixture
def published_english(editor, english_draft):  # noqa: F811
    editor.translate_segments(english_draft)
    editor.publish(english_draft)
    return english_draft


def set_paragraph(page, text, publish=True):
    """Change the German lab's second paragraph (block ids kept, as the admin does)."""
    page = LabPage.objects.get(pk=page.pk)
    blocks = [dict(block) for block in page.body.raw_data]
    blocks[2]["value"] = f"<p>{text}</p>"
    page.body = blocks
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def test_many_syncs_keep_every_unchanged_segment(
    editor,  # noqa: F811
    german_lab,  # noqa: F811
    published_english,
    english,
):
    """#502: five edit-and-sync rounds; only the changed paragraph ever falls back to German."""
    translation = translation_of(german_lab, english)
    for round_number in range(1, 6):
        german_text = f"Runde {round_number}: Jede und jeder ist willkommen."
        set_paragraph(german_lab, german_text)
        editor.sync(german_lab)
        assert untranslated_sources(translation) == {german_text}, round_number
        status, page_html = visit(LAB_URL_EN)
        assert status == 200
        for kept in (
            "Open Knowledge Lab Flensburg",
            "Civic tech in the far north.",
            "What we do",
            "We build open tools for Flensburg.",
            "In the rear building, please ring twice.",
        ):
            assert kept in page_html, (round_number, kept)
        assert german_text in page_html  # the new text, untranslated yet, never a stale one
    total, translated = translation.get_progress()
    assert (total, translated) == (11, 10)


def stop(editor, translation, english_page):  # noqa: F811
    edit_url = reverse("wagtailadmin_pages:edit", args=[english_page.id])
    response = editor.client.post(
        reverse("wagtail_localize:stop_translation", args=[translation.id]), {"next": edit_url}
    )
    assert response.status_code == 302
    translation.refresh_from_db()
    assert not translation.enabled


def edit_by_hand(english_page):
    page = LabPage.objects.get(pk=english_page.pk)
    page.intro = MANUAL_INTRO
    page.save_revision().publish()
    return page


def test_a_stopped_translation_keeps_manual_edits_through_saves_and_syncs(
    editor,  # noqa: F811
    german_lab,  # noqa: F811
    published_english,
    english,
):
    """#607: after "Stop Synced translation" the English page is the editor's own."""
    translation = translation_of(german_lab, english)
    stop(editor, translation, published_english)
    # The page now opens in Wagtail's ordinary editor, not the translation editor.
    response = editor.client.get(reverse("wagtailadmin_pages:edit", args=[published_english.id]))
    assert response.status_code == 200
    assert "js-translation-editor" not in response.text
    edit_by_hand(published_english)
    # The German page changes and is synced: the stopped translation is left alone.
    set_paragraph(german_lab, "Neu im Deutschen.")
    editor.sync(german_lab)
    status, page_html = visit(LAB_URL_EN)
    assert status == 200
    assert MANUAL_INTRO in page_html
    assert "Neu im Deutschen." not in page_html
    assert LabPage.objects.get(pk=published_english.pk).intro == MANUAL_INTRO


def test_restarting_sync_warns_and_then_the_editor_texts_win(
    editor,  # noqa: F811
    german_lab,  # noqa: F811
    published_english,
    english,
):
    """#876: restarting is not silent here; what happens at the next sync is pinned exactly."""
    translation = translation_of(german_lab, english)
    stop(editor, translation, published_english)
    edit_by_hand(published_english)
    edit_url = reverse("wagtailadmin_pages:edit", args=[published_english.id])
    response = editor.client.post(edit_url, {"localize-restart-translation": "1"})
    assert response.status_code == 302
    shown = messages_shown(response)
    assert any("Achtung: Die Übersetzung wird wieder synchronisiert" in m for m in shown), shown
    translation.refresh_from_db()
    assert translation.enabled
    # Restarting alone changes nothing on the page ...
    assert LabPage.objects.get(pk=published_english.pk).intro == MANUAL_INTRO
    assert MANUAL_INTRO in visit(LAB_URL_EN)[1]
    # ... the next sync writes the translation editor's texts over the manual edit (the
    # behaviour wagtail-localize 1.14 has; the warning above is shown before it can happen).
    editor.sync(german_lab)
    assert (
        LabPage.objects.get(pk=published_english.pk).intro == ENGLISH["Civic Tech im hohen Norden."]
    )
    # The manual edit is not lost for good: it stays in the page's revision history.
    intros = [
        revision.as_object().intro
        for revision in LabPage.objects.get(pk=published_english.pk).revisions.all()
    ]
    assert MANUAL_INTRO in intros


def test_a_german_draft_is_not_synced_half_way(
    editor,  # noqa: F811
    german_lab,  # noqa: F811
    published_english,
    english,
):
    """#861: sync reads the published German page; an unpublished draft is not sent at all."""
    translation = translation_of(german_lab, english)
    set_paragraph(german_lab, "Nur ein Entwurf.", publish=False)
    german = LabPage.objects.get(pk=german_lab.pk)
    assert german.has_unpublished_changes
    editor.sync(german_lab)
    assert untranslated_sources(translation) == set()
    status, page_html = visit(LAB_URL_EN)
    assert "Nur ein Entwurf." not in page_html
    assert "Everyone is welcome." in page_html
    # Once the draft is published, the sync brings exactly that change.
    german.get_latest_revision().publish()
    editor.sync(german_lab)
    assert untranslated_sources(translation) == {"Nur ein Entwurf."}
    assert "Nur ein Entwurf." in visit(LAB_URL_EN)[1]
