"""The translation status report: each German page with the state of its English page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource

from editors.reports import TranslationState, with_translation_state
from tests.conftest import translate
from tests.factories import (
    ContentPageFactory,
    LabPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)
from tests.test_editors import client_for, member_of, sync

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/reports/translation-status/"


def translate_with_localize(page, locale, capture_on_commit):
    """Translate `page` as wagtail-localize does (a TranslationSource) and publish it."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=locale)
    with capture_on_commit(execute=True):
        translation.save_target(publish=True)
    return source, page.get_translation(locale)


def republish(page):
    page = page.specific_class.objects.get(pk=page.pk)
    page.intro = (page.intro or "") + " Geändert."
    page.save_revision().publish()
    return page


@pytest.fixture
def pages(home_page, lab_index, flensburg, english, django_capture_on_commit_callbacks):
    """One German page per state, and the English pages that give them that state.

    - home page, translated without wagtail-localize, unchanged since: up to date
    - lab index, translated without wagtail-localize, German changed since: behind
    - Flensburg, translated with wagtail-localize: up to date
    - Düsseldorf, translated with wagtail-localize, German changed since: behind
    - the news index: its English page is an alias
    - a content page and a Flensburg news post: missing
    """
    capture = django_capture_on_commit_callbacks
    duesseldorf = LabPageFactory(parent=lab_index, title="OK Lab Düsseldorf", city="Düsseldorf")
    news_index = NewsIndexPageFactory(parent=home_page)
    about = ContentPageFactory(parent=home_page, title="Über uns", slug="ueber")
    post = NewsPageFactory(parent=flensburg, title="Hackday")
    home_en = translate(home_page, english, title="Code for Germany")
    translate(lab_index, english, title="OK Labs")
    news_index.create_alias(parent=home_en, update_locale=english, reset_translation_key=False)
    translate_with_localize(flensburg, english, capture)
    duesseldorf_source, _ = translate_with_localize(duesseldorf, english, capture)
    republish(lab_index)
    republish(duesseldorf)
    return {
        "home": home_page,
        "index": lab_index,
        "flensburg": flensburg,
        "duesseldorf": duesseldorf,
        "duesseldorf_source": duesseldorf_source,
        "news_index": news_index,
        "about": about,
        "post": post,
    }


EXPECTED = {
    "home": TranslationState.UP_TO_DATE,
    "index": TranslationState.BEHIND,
    "flensburg": TranslationState.UP_TO_DATE,
    "duesseldorf": TranslationState.BEHIND,
    "news_index": TranslationState.ALIAS,
    "about": TranslationState.MISSING,
    "post": TranslationState.MISSING,
}


def states(english):
    german = Page.objects.filter(locale__language_code="de", depth__gt=1)
    return dict(with_translation_state(german, english).values_list("pk", "translation_state"))


def report_rows(response):
    """{page id: state} of the report's table."""
    assert response.status_code == 200
    return {
        int(page_id): state
        for state, page_id in re.findall(
            r'data-translation-state="([^"]+)" data-page-id="(\d+)"', response.content.decode()
        )
    }


@pytest.fixture
def network_client(pages):
    sync()
    return client_for(member_of("Netzwerk-Redaktion", "netz"))


def test_each_state_is_computed(pages, english):
    assert states(english) == {pages[name].pk: state for name, state in EXPECTED.items()}


def test_syncing_brings_a_page_up_to_date(
    pages, english, network_client, django_capture_on_commit_callbacks
):
    url = reverse("wagtail_localize:update_translations", args=[pages["duesseldorf_source"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = network_client.post(url, {"publish_translations": "on"})
    assert response.status_code == 302
    assert states(english)[pages["duesseldorf"].pk] == TranslationState.UP_TO_DATE


def test_translating_a_missing_page_makes_it_up_to_date(
    pages, english, django_capture_on_commit_callbacks
):
    translate_with_localize(pages["about"], english, django_capture_on_commit_callbacks)
    assert states(english)[pages["about"].pk] == TranslationState.UP_TO_DATE


def test_the_report_lists_every_german_page_with_its_state(pages, network_client):
    response = network_client.get(REPORT_URL)

    assert report_rows(response) == {pages[name].pk: state for name, state in EXPECTED.items()}
    html = response.content.decode()
    for heading in ("German page", "English page", "Texts translated", "Actions"):
        assert f">{heading}</th>" in html
    # Localize's translation progress for the pages translated with it.
    assert re.search(r"\b\d+ of \d+\b", html)


def row_html(html, page):
    match = re.search(rf'data-page-id="{page.pk}">(.*?)</tr>', html, re.S)
    assert match, page
    return match.group(1)


def test_the_report_links_to_translate_sync_or_edit(pages, network_client, english):
    html = network_client.get(REPORT_URL).content.decode()

    submit = reverse("wagtail_localize:submit_page_translation", args=[pages["about"].pk])
    assert f'href="{submit}?select_locale=en"' in row_html(html, pages["about"])
    submit = reverse("wagtail_localize:submit_page_translation", args=[pages["news_index"].pk])
    assert f'href="{submit}?select_locale=en"' in row_html(html, pages["news_index"])
    update = reverse("wagtail_localize:update_translations", args=[pages["duesseldorf_source"].pk])
    assert f'href="{update}"' in row_html(html, pages["duesseldorf"])
    flensburg_en = pages["flensburg"].get_translation(english)
    edit = reverse("wagtailadmin_pages:edit", args=[flensburg_en.pk])
    assert f'href="{edit}"' in row_html(html, pages["flensburg"])
    assert 'data-action="translate"' not in row_html(html, pages["flensburg"])
    # The links work.
    assert network_client.get(submit).status_code == 200
    assert network_client.get(update).status_code == 200


def test_the_report_filters_by_state(pages, network_client):
    for state in TranslationState.values:
        rows = report_rows(network_client.get(REPORT_URL, {"state": state}))
        assert rows == {
            pages[name].pk: expected for name, expected in EXPECTED.items() if expected == state
        }


def test_the_report_filters_by_lab(pages, network_client):
    rows = report_rows(network_client.get(REPORT_URL, {"lab": pages["flensburg"].pk}))
    assert set(rows) == {pages["flensburg"].pk, pages["post"].pk}

    rows = report_rows(
        network_client.get(REPORT_URL, {"lab": pages["flensburg"].pk, "state": "missing"})
    )
    assert set(rows) == {pages["post"].pk}
    # The results view the filters refresh without reloading the page.
    results = network_client.get(
        reverse("editors_translation_status_results"), {"lab": pages["duesseldorf"].pk}
    )
    assert set(report_rows(results)) == {pages["duesseldorf"].pk}


def test_the_reports_queries_do_not_grow_with_the_number_of_pages(
    pages, network_client, english, django_capture_on_commit_callbacks
):
    network_client.get(REPORT_URL)  # warm caches (content types, site root paths)
    with CaptureQueriesContext(connection) as few:
        network_client.get(REPORT_URL)
    for number in range(10):
        page = ContentPageFactory(parent=pages["home"], title=f"Seite {number}")
        if number % 2:
            translate_with_localize(page, english, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as many:
        response = network_client.get(REPORT_URL)
    assert len(report_rows(response)) == len(EXPECTED) + 10
    assert len(many) == len(few)


def test_a_lab_editor_sees_their_lab_and_the_network_pages_without_translate_links(pages):
    sync()
    client = client_for(member_of("Lab-Redaktion: OK Lab Flensburg", "fl"))

    response = client.get(REPORT_URL)

    rows = report_rows(response)
    assert set(rows) == {
        pages["flensburg"].pk,
        pages["post"].pk,
        pages["about"].pk,
        pages["news_index"].pk,
    }
    html = response.content.decode()
    assert 'data-action="translate"' not in html and 'data-action="sync"' not in html
    assert 'data-action="edit-english"' in html


def test_the_report_is_in_the_reports_menu(pages, network_client):
    html = network_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "/admin/reports/translation-status/" in html
    assert "Translation status" in html


def test_people_without_page_permissions_cannot_open_it(pages, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("gast", "gast@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = client_for(user).get(REPORT_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_the_report_downloads_as_csv(pages, network_client):
    response = network_client.get(REPORT_URL, {"export": "csv", "state": "missing"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("Deutsche Seite,")
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["Hackday", "Über uns"]
