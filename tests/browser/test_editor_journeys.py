"""Editors in the real Wagtail admin of the production gunicorn (plain http on 127.0.0.1)."""

import pytest

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


def publish(page):
    """Press "Publish", which may sit in the closed "more actions" drop-down."""
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
