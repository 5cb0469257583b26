"""Languages for visitors: URLs, switcher, hreflang, lists with untranslated pages, sitemap."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Page
from wagtail_localize.fields import (
    SynchronizedField,
    TranslatableField,
    get_translatable_fields,
)

from home.models import ContentPage, HomePage
from labs.models import LabIndexPage, LabPage
from tests.factories import ContentPageFactory, LabPageFactory

pytestmark = pytest.mark.django_db


def test_german_lives_at_the_root_and_english_under_en(client, english_site):
    german = client.get("/")
    english = client.get("/en/")
    assert german.status_code == english.status_code == 200
    assert '<html lang="de">' in german.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "The OK Lab network." in english.content.decode()
    assert client.get("/en/ok-labs/flensburg/").status_code == 200


@pytest.mark.parametrize("url", ["/fr/", "/fr/ok-labs/", "/de/", "/en/gibt-es-nicht/"])
def test_unknown_language_prefix_or_page_is_a_localised_404(client, english_site, url):
    response = client.get(url)
    assert response.status_code == 404


def test_english_404_page_speaks_english(client, english_site):
    html = client.get("/en/nothing-here/").content.decode()
    assert "Page not found" in html and '<html lang="en">' in html


def test_admin_is_outside_the_language_prefix(admin_client_logged_in, english_site):
    assert admin_client_logged_in.get("/admin/").status_code == 200
    assert admin_client_logged_in.get("/en/admin/").status_code == 404


def switcher(html):
    return html.split('<nav class="language-switcher"')[1].split("</nav>")[0]


def test_switcher_on_a_translated_page_links_to_the_translation(client, english_site):
    german = switcher(client.get("/ok-labs/flensburg/").content.decode())
    assert '<a href="/en/ok-labs/flensburg/" hreflang="en" lang="en">English</a>' in german
    assert 'hreflang="de" lang="de" aria-current="true">Deutsch</a>' in german
    english = switcher(client.get("/en/ok-labs/flensburg/").content.decode())
    assert '<a href="/ok-labs/flensburg/" hreflang="de" lang="de">Deutsch</a>' in english
    assert 'aria-current="true">English</a>' in english


def test_switcher_on_an_untranslated_page_says_it_leads_to_the_home_page(client, english_site):
    german_home = HomePage.objects.get(locale__language_code="de")
    impressum = ContentPageFactory(parent=german_home, title="Impressum", slug="impressum")
    html = switcher(client.get(impressum.url).content.decode())
    assert (
        '<a href="/en/" hreflang="en" lang="en">English<span class="language-switcher__note">'
        ": home page – this page is not available in English</span></a>"
    ) in html


def test_canonical_and_hreflang_on_a_translated_page(client, english_site):
    html = client.get("/en/ok-labs/flensburg/").content.decode()
    head = html.split("</head>")[0]
    assert '<link rel="canonical" href="http://localhost/en/ok-labs/flensburg/">' in head
    assert '<link rel="alternate" hreflang="de" href="http://localhost/ok-labs/flensburg/">' in head
    assert (
        '<link rel="alternate" hreflang="en" href="http://localhost/en/ok-labs/flensburg/">' in head
    )
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://localhost/ok-labs/flensburg/">'
        in head
    )


def test_untranslated_page_has_a_canonical_and_no_alternates(client, english_site, lab_index):
    ulm = LabPageFactory(parent=lab_index, city="Ulm", slug="ulm", bundesland="baden-wuerttemberg")
    head = client.get(ulm.url).content.decode().split("</head>")[0]
    assert '<link rel="canonical" href="http://localhost/ok-labs/ulm/">' in head
    assert 'rel="alternate" hreflang' not in head


def test_english_lab_index_lists_untranslated_labs_marked_german(client, english_site, lab_index):
    LabPageFactory(parent=lab_index, city="Ulm", slug="ulm", bundesland="baden-wuerttemberg")
    response = client.get("/en/ok-labs/")
    html = response.content.decode()
    titles = [(lab.title, lab.locale.language_code) for lab in response.context["active_labs"]]
    assert titles == [("OK Lab Flensburg", "en"), ("OK Lab Ulm", "de")]
    assert '<a href="/en/ok-labs/flensburg/">OK Lab Flensburg</a>' in html
    assert (
        '<a href="/ok-labs/ulm/" hreflang="de"><span lang="de">OK Lab Ulm</span> '
        '<span class="lab-card__language">(in German)</span></a>'
    ) in html
    assert client.get("/ok-labs/ulm/").status_code == 200
    german = client.get("/ok-labs/")
    assert [lab.title for lab in german.context["active_labs"]] == [
        "OK Lab Flensburg",
        "OK Lab Ulm",
    ]
    assert "(in German)" not in german.content.decode()


def test_english_home_lists_labs_and_links_resolve(client, english_site, lab_index):
    LabPageFactory(parent=lab_index, city="Ulm", slug="ulm", bundesland="baden-wuerttemberg")
    html = client.get("/en/").content.decode()
    assert 'href="/en/ok-labs/flensburg/"' in html and 'href="/ok-labs/ulm/"' in html
    assert "Every Wednesday, 18:00–21:00" in html


def test_sitemap_lists_every_page_of_every_language_with_alternates(client, english_site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespaces = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    root = ET.fromstring(response.content)
    entries = {
        url.find("s:loc", namespaces).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", namespaces)
        }
        for url in root.findall("s:url", namespaces)
    }
    assert set(entries) == {
        "http://localhost/",
        "http://localhost/ok-labs/",
        "http://localhost/ok-labs/flensburg/",
        "http://localhost/en/",
        "http://localhost/en/ok-labs/",
        "http://localhost/en/ok-labs/flensburg/",
    }
    assert entries["http://localhost/en/ok-labs/flensburg/"] == {
        "de": "http://localhost/ok-labs/flensburg/",
        "en": "http://localhost/en/ok-labs/flensburg/",
        "x-default": "http://localhost/ok-labs/flensburg/",
    }


def test_sitemap_queries_do_not_grow_with_pages(
    client, english_site, lab_index, django_assert_max_num_queries
):
    for number in range(30):
        LabPageFactory(parent=lab_index, city=f"Ort{number}")
    with django_assert_max_num_queries(12):
        assert client.get("/sitemap.xml").status_code == 200


PAGE_FIELDS = {field.name for field in Page._meta.get_fields()}
TRANSLATABLE_FIELDS_SNAPSHOT = {
    HomePage: {
        "translated": ["intro", "call_to_action_text", "body"],
        "synchronised": ["call_to_action_page"],
    },
    ContentPage: {"translated": ["intro", "body"], "synchronised": ["show_table_of_contents"]},
    LabIndexPage: {"translated": ["intro"], "synchronised": []},
    LabPage: {
        "translated": ["city", "intro", "meetings", "meeting_exceptions", "leads", "links", "body"],
        "synchronised": [
            "bundesland",
            "lat",
            "long",
            "logo",
            "founding_year",
            "members",
            "inactive",
            "url_aliases",
        ],
    },
}


@pytest.mark.parametrize("model", list(TRANSLATABLE_FIELDS_SNAPSHOT))
def test_translatable_and_synchronised_fields_snapshot(model):
    """A change to what is translated or copied must be deliberate: update this snapshot."""
    own_fields = [
        field for field in get_translatable_fields(model) if field.field_name not in PAGE_FIELDS
    ]
    translated = [field.field_name for field in own_fields if isinstance(field, TranslatableField)]
    synchronised = [
        field.field_name for field in own_fields if isinstance(field, SynchronizedField)
    ]
    assert {"translated": translated, "synchronised": synchronised} == (
        TRANSLATABLE_FIELDS_SNAPSHOT[model]
    )


def test_page_titles_and_slugs_are_translated():
    fields = {field.field_name: field for field in get_translatable_fields(LabPage)}
    assert isinstance(fields["title"], TranslatableField)
    assert isinstance(fields["slug"], TranslatableField)
