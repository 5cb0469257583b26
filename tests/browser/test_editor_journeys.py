"""Editors in the real Wagtail admin of the production gunicorn (plain http on 127.0.0.1)."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import ADMIN_PASSWORD, ADMIN_USER, LAB_EDITOR, LAB_EDITOR_PASSWORD
from tests.server import manage

pytestmark = [pytest.mark.browser, pytest.mark.server]


def page_id(live_site, model, slug):
    script = (
        f"from {model.rpartition('.')[0]} import {model.rpartition('.')[2]} as M; "
        f"print(M.objects.get(slug='{slug}', locale__language_code='de').pk)"
    )
    return int(manage(live_site.env, "shell", "-c", script).split()[-1])


def log_in(page, username, password):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")


AUTOSAVE_IDLE = """() => {
    const indicator = document.getElementById("w-autosave-indicator");
    return !indicator || indicator.getAttribute("data-w-autosave-state-value") !== "saving";
}"""


def publish(page):
    """Press "Publish", which may sit in the closed "more actions" drop-down.

    Wagtail autosaves half a second after the last change (the first autosave of a new page
    creates it and moves the form to the edit address); like a person, wait for it to finish.
    """
    page.wait_for_timeout(1_000)
    page.wait_for_function(AUTOSAVE_IDLE)
    page.locator("button[name=action-publish]").evaluate(
        "button => button.form.requestSubmit(button)"
    )


def test_superuser_logs_in_over_http_and_sees_the_dashboard(page):
    log_in(page, ADMIN_USER, ADMIN_PASSWORD)
    assert page.locator("main").is_visible()
    response = page.goto("/admin/pages/")
    assert response.status == 200
    assert "/admin/login/" not in page.url


def workflow_state(live_site, pk):
    script = (
        "from wagtail.models import Page; "
        f"state = Page.objects.get(pk={pk}).current_workflow_state; "
        "print(f'{state.workflow.name}|{state.status}' if state else 'none')"
    )
    return manage(live_site.env, "shell", "-c", script).split()[-1]


def test_lab_editor_edits_own_lab_only_and_network_pages_go_to_moderation(open_page, live_site):
    flensburg = page_id(live_site, "labs.models.LabPage", "flensburg")
    duesseldorf = page_id(live_site, "labs.models.LabPage", "duesseldorf")
    mitmachen = page_id(live_site, "home.models.ContentPage", "mitmachen")
    page = open_page()
    log_in(page, LAB_EDITOR, LAB_EDITOR_PASSWORD)

    # Their own lab: edit and publish.
    response = page.goto(f"/admin/pages/{flensburg}/edit/")
    assert response.status == 200
    new_intro = "Wir treffen uns jede Woche an der Förde (geändert im Browsertest)."
    page.fill("#id_intro", new_intro)
    publish(page)
    page.wait_for_url(lambda url: f"/pages/{flensburg}/edit/" not in url)
    visitor = open_page()
    visitor.goto("/ok-labs/flensburg/")
    assert visitor.locator(".lead").first.inner_text() == new_intro

    # Another lab: Wagtail sends them back to the dashboard with "no access".
    page.goto(f"/admin/pages/{duesseldorf}/edit/")
    assert f"/pages/{duesseldorf}/edit/" not in page.url
    assert "keinen Zugang" in page.locator("body").inner_text()

    # A network page: no publish button, only "submit to Netzwerk-Freigabe".
    response = page.goto(f"/admin/pages/{mitmachen}/edit/")
    assert response.status == 200
    assert page.locator("button[name=action-publish]").count() == 0
    submit = page.locator("button[name=action-submit]")
    assert "Netzwerk-Freigabe" in submit.inner_text()
    page.fill("#id_intro", "Mach mit! (Vorschlag aus dem Browsertest)")
    submit.evaluate("button => button.form.requestSubmit(button)")
    page.wait_for_url(lambda url: f"/pages/{mitmachen}/edit/" not in url)
    assert workflow_state(live_site, mitmachen) == "Netzwerk-Freigabe|in_progress"


# --- a new lab, written in German, translated into English in wagtail-localize's editor ---------

ENGLISH = {
    "Wir bauen Werkzeuge mit offenen Daten für unsere Stadt.": (
        "We build tools with open data for our city."
    ),
    "Was wir machen": "What we do",
    "Wir treffen uns jede Woche und programmieren gemeinsam.": (
        "We meet every week and write code together."
    ),
    "Stadtbibliothek": "City library",
    "Lab-Leitung": "Lab lead",
    "Unsere Website": "Our website",
    "Seit 2026 bauen wir Werkzeuge mit offenen Daten für unsere Stadt.": (
        "Since 2026 we have been building tools with open data for our city."
    ),
}


def add_block(page, field, index, block_label=None):
    """Press the stream field's "+" (and pick a block type) until block `index` is there.

    The form grows and scrolls while blocks open, so a press can land beside the button; like a
    person, the journey presses again while the field still holds `index` blocks.
    """
    count = page.locator(f"[name='{field}-count']")
    new_block = page.locator(f"[name='{field}-{index}-type']")
    for _attempt in range(3):
        if count.input_value() == str(index):
            button = page.locator(f"#{field}-root .c-sf-add-button").last
            button.scroll_into_view_if_needed()
            button.click()
            if block_label:
                page.get_by_role("option", name=block_label, exact=True).click()
        try:
            new_block.wait_for(state="attached", timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"no block {index} appeared in {field}")


def open_page_action(page, page_pk, link_name):
    """The edit view's "…" (Aktionen) menu in the header, then one of its links."""
    page.goto(f"/admin/pages/{page_pk}/edit/")
    page.locator("#w-slim-header-buttons").get_by_role("button", name="Aktionen").click()
    page.get_by_role("link", name=link_name).click()


def translate_every_segment(page):
    """In wagtail-localize's editor: each tab, each untranslated text, typed into its box."""
    typed = []
    for tab in ("Inhalt", "Treffen & Kontakt", "Links", "Promote"):
        page.get_by_role("tab", name=tab, exact=True).click()
        panel = page.locator("section[id^=tab-]:not([hidden])")
        pending = panel.locator(
            "li.incomplete", has=page.get_by_role("button", name="Übersetzen", exact=True)
        )
        while pending.count():
            segment = pending.first
            source = segment.locator("p").first.inner_text()
            segment.get_by_role("button", name="Übersetzen", exact=True).click()
            box = panel.locator("textarea")  # one text box is open at a time
            box.fill(ENGLISH.get(source, source))
            panel.get_by_role("button", name="Speichern", exact=True).click()
            box.wait_for(state="detached")
            typed.append(source)
    return typed


def main_text(open_page, url):
    """The text a new visitor reads (browsers may keep a page for a minute: max-age=60)."""
    page = open_page()
    response = page.goto(url)
    assert response.status == 200, url
    return " ".join(page.locator("main").inner_text().split())


def publish_translation(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Veröffentlichen in Englisch").click()


def test_editor_creates_a_lab_translates_it_and_a_sync_keeps_the_translations(open_page, live_site):
    editor = open_page()
    log_in(editor, ADMIN_USER, ADMIN_PASSWORD)
    lab_index = page_id(live_site, "labs.models.LabIndexPage", "ok-labs")

    # A new German lab: content, a weekly meeting, a contact, a link; published.
    editor.goto(f"/admin/pages/{lab_index}/")
    editor.get_by_role("link", name="Unterseite hinzufügen").first.click()
    editor.wait_for_url("**/admin/pages/add/labs/labpage/**")
    editor.fill("#id_title", "OK Lab Musterstadt")
    editor.fill("#id_intro", "Wir bauen Werkzeuge mit offenen Daten für unsere Stadt.")
    add_block(editor, "body", 0, "Überschrift")
    editor.fill("#body-0-value-text", "Was wir machen")
    add_block(editor, "body", 1, "Text")
    editor.locator("#body-root .Draftail-Editor [contenteditable=true]").last.click()
    editor.keyboard.type("Wir treffen uns jede Woche und programmieren gemeinsam.")
    editor.get_by_role("tab", name="Treffen & Kontakt", exact=True).click()
    editor.fill("#id_city", "Musterstadt")
    editor.select_option("#id_bundesland", "niedersachsen")
    editor.fill("#id_lat", "52.37")
    editor.fill("#id_long", "9.73")
    add_block(editor, "meetings", 0)
    editor.select_option("#meetings-0-value-weekday", "2")  # Wednesday
    editor.fill("#meetings-0-value-start_time", "18:00")
    editor.fill("#meetings-0-value-end_time", "20:00")
    editor.fill("#meetings-0-value-venue_name", "Stadtbibliothek")
    editor.fill("#meetings-0-value-city", "Musterstadt")
    add_block(editor, "leads", 0)
    editor.fill("#leads-0-value-name", "Alex Beispiel")
    editor.fill("#leads-0-value-role", "Lab-Leitung")
    editor.fill("#leads-0-value-email", "alex@example.org")
    editor.get_by_role("tab", name="Links", exact=True).click()
    add_block(editor, "links", 0)
    editor.fill("#links-0-value-url", "https://musterstadt.example.org/")
    editor.fill("#links-0-value-label", "Unsere Website")
    publish(editor)
    # Wagtail's autosave may already have turned the address into the edit view's: wait for
    # the explorer of "OK Labs", where publishing a new page leads.
    editor.wait_for_url(f"**/admin/pages/{lab_index}/")

    german = main_text(open_page, "/ok-labs/ok-lab-musterstadt/")
    for text in ("Was wir machen", "Nächstes Treffen: Mittwoch", "Stadtbibliothek"):
        assert text in german
    assert "Alex Beispiel" in german and "Unsere Website" in german
    lab_pk = page_id(live_site, "labs.models.LabPage", "ok-lab-musterstadt")

    # Into English, typed into wagtail-localize's editor, then published.
    open_page_action(editor, lab_pk, "Diese Seite übersetzen")
    editor.get_by_label("Englisch").check()
    editor.get_by_role("button", name="Absenden").click()
    editor.wait_for_url(lambda url: "/localize/submit/" not in url)
    english_editor_url = editor.url  # the English draft opens in the translation editor
    typed = translate_every_segment(editor)
    # title, intro, heading, text; city, venue, meeting city, name, role; link label; slug
    assert len(typed) == 11
    publish_translation(editor)

    english = main_text(open_page, "/en/ok-labs/ok-lab-musterstadt/")
    for text in (
        "We build tools with open data for our city.",
        "What we do",
        "We meet every week and write code together.",
        "Next meeting: Wednesday",
        "City library",
        "Lab lead",
        "Our website",
    ):
        assert text in english
    assert "Stadtbibliothek" not in english

    # The German page changes; "Sync translated pages" keeps every English text it had.
    editor.goto(f"/admin/pages/{lab_pk}/edit/")
    editor.fill("#id_intro", "Seit 2026 bauen wir Werkzeuge mit offenen Daten für unsere Stadt.")
    publish(editor)
    editor.wait_for_url(lambda url: f"/pages/{lab_pk}/edit/" not in url)
    open_page_action(editor, lab_pk, "Synchronisiere übersetzte Seiten")
    editor.get_by_label("Sofort veröffentlichen").check()
    editor.get_by_role("button", name="Absenden").click()
    editor.wait_for_url(lambda url: "/localize/update/" not in url)

    synced = main_text(open_page, "/en/ok-labs/ok-lab-musterstadt/")
    assert "Seit 2026 bauen wir" in synced  # the new German sentence, until it is translated
    for text in ("What we do", "We meet every week", "City library", "Lab lead", "Our website"):
        assert text in synced

    # Translating the one new sentence completes the English page again.
    editor.goto(english_editor_url)
    assert translate_every_segment(editor) == [
        "Seit 2026 bauen wir Werkzeuge mit offenen Daten für unsere Stadt."
    ]
    publish_translation(editor)
    final = main_text(open_page, "/en/ok-labs/ok-lab-musterstadt/")
    assert "Since 2026 we have been building tools" in final
    assert "What we do" in final
