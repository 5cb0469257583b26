"""Page types: where they may live, creating them in the admin, rendering every block."""

import datetime

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import ContentPage, HomePage
from labs.models import LabIndexPage, LabPage
from network.models import EventPage, NewsPage, ProjectPage
from tests.factories import ContentPageFactory, ImageFactory, LabPageFactory

pytestmark = pytest.mark.django_db


def test_page_type_hierarchy():
    assert LabIndexPage.allowed_subpage_models() == [LabPage]
    assert LabPage.allowed_parent_page_models() == [LabIndexPage]
    assert LabPage.allowed_subpage_models() == [ProjectPage, NewsPage, EventPage]
    assert LabIndexPage.allowed_parent_page_models() == [HomePage]
    assert set(ContentPage.allowed_parent_page_models()) == {HomePage, ContentPage}
    assert HomePage.allowed_parent_page_models() == [Page]


def test_only_one_lab_index_per_home_page(lab_index, home_page):
    assert not LabIndexPage.can_create_at(home_page)
    assert not LabPage.can_create_at(home_page)
    assert LabPage.can_create_at(lab_index)


def every_block(image):
    """A body stream value holding each block type of the shared StreamBlock once."""
    return [
        ("heading", {"text": "Über Code for Germany", "level": "h2", "anchor": ""}),
        ("paragraph", '<p>Ein <b>Programm</b> der <a href="https://okfn.de">OKF</a>.</p>'),
        (
            "image",
            {"image": image, "alt_text": "Ein Hexagon", "caption": "Logo", "attribution": ""},
        ),
        ("quote", {"quote": "Offene Daten sind der Anfang.", "attribution": "Eine Lead"}),
        ("call_to_action", {"text": "Mitmachen", "page": None, "url": "https://codefor.de/"}),
        (
            "link_list",
            {
                "heading": "Mehr",
                "links": [{"title": "Code for All", "page": None, "url": "https://codeforall.org"}],
            },
        ),
        ("contact", {"name": "Roald", "role": "Lead", "email": "roald@example.org", "url": ""}),
        (
            "project_card",
            {
                "title": "Offener Haushalt",
                "summary": "Haushalt als Grafik.",
                "image": None,
                "image_alt_text": "",
                "status": "seeking-contributors",
                "code_url": "https://github.com/okfde",
                "demo_url": "",
            },
        ),
        (
            "partner",
            {
                "name": "Code for America",
                "logo": None,
                "url": "https://codeforamerica.org",
                "description": "Vorbild",
            },
        ),
        ("faq", {"question": "Muss ich programmieren?", "answer": "<p>Nein.</p>"}),
    ]


def test_content_page_renders_every_block_and_a_table_of_contents(client, home_page):
    image = ImageFactory(title="Hexagon")
    body = [
        *every_block(image),
        ("heading", {"text": "Warum OK Labs?", "level": "h3", "anchor": "warum"}),
    ]
    page = ContentPageFactory(
        parent=home_page, title="Über uns", slug="ueber-uns", body=body, show_table_of_contents=True
    )
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<h2 id="ueber-code-for-germany" class="block-heading">Über Code for Germany</h2>' in html
    )
    assert '<h3 id="warum" class="block-heading">Warum OK Labs?</h3>' in html
    assert '<a href="#ueber-code-for-germany">Über Code for Germany</a>' in html
    assert "<b>Programm</b>" in html
    assert 'alt="Ein Hexagon"' in html and 'loading="lazy"' in html and "<picture>" in html
    assert "<blockquote>" in html and "Eine Lead" in html
    assert 'class="button" href="https://codefor.de/"' in html
    assert 'href="https://codeforall.org"' in html
    assert "mailto" not in html and "roald@example.org" not in html
    assert "&#109;&#97;&#105;&#108;&#116;&#111;&#58;" in html  # "mailto:" as references
    assert "Mitwirkende gesucht" in html
    assert "Code for America" in html
    assert '<details class="faq">' in html and "<summary>Muss ich programmieren?</summary>" in html


def test_every_page_has_landmarks_skip_link_and_language(client, flensburg, home_page):
    content = ContentPageFactory(parent=home_page, title="Impressum", slug="impressum")
    for url in ["/", "/ok-labs/", flensburg.url, content.url]:
        html = client.get(url).content.decode()
        assert '<html lang="de">' in html, url
        assert '<a class="skip-link" href="#main">Zum Inhalt springen</a>' in html, url
        assert '<header class="site-header">' in html, url
        assert '<nav class="site-nav" aria-label="Hauptnavigation">' in html, url
        assert '<main id="main"' in html, url
        assert '<footer class="site-footer">' in html, url
        assert html.count("<h1") == 1, url
        assert ' style="' not in html and "<script>" not in html, url
        assert '<link rel="canonical" href="http://localhost' in html, url


def test_home_page_lists_the_labs_from_the_lab_index(client, flensburg, lab_index):
    LabPageFactory(
        parent=lab_index,
        city="Düsseldorf",
        slug="duesseldorf",
        bundesland="nordrhein-westfalen",
        lat=51.2,
        long=6.8,
    )
    LabPageFactory(
        parent=lab_index,
        city="Ulm",
        slug="ulm",
        bundesland="baden-wuerttemberg",
        lat=48.4,
        long=10.0,
        inactive=True,
    )
    html = client.get("/").content.decode()
    assert "OK Lab Flensburg" in html and "OK Lab Düsseldorf" in html
    assert "OK Lab Ulm" not in html  # inactive labs are on the index, apart, not on the home page
    assert "Jeden Mittwoch, 18:00–21:00" in html


def test_home_page_call_to_action(client, home_page):
    join = ContentPageFactory(parent=home_page, title="Mitmachen", slug="mitmachen")
    home_page.call_to_action_text = "Mitmachen"
    home_page.call_to_action_page = join
    home_page.save_revision().publish()
    html = client.get("/").content.decode()
    assert '<a class="button button--large" href="/mitmachen/">Mitmachen</a>' in html


def admin_add_url(model, parent):
    return f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"


def test_editor_creates_a_content_page_in_the_admin(admin_client_logged_in, home_page):
    data = nested_form_data(
        {
            "title": "Mitmachen",
            "slug": "mitmachen",
            "intro": "So machst du mit.",
            "show_table_of_contents": "on",
            "body": streamfield(
                [
                    ("heading", {"text": "Komm vorbei", "level": "h2", "anchor": ""}),
                    ("paragraph", rich_text("<p>Jeden Mittwoch.</p>")),
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = admin_client_logged_in.post(admin_add_url(ContentPage, home_page), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ContentPage.objects.get(slug="mitmachen")
    assert page.live
    assert [block.block_type for block in page.body] == ["heading", "paragraph"]


def test_editor_creates_a_lab_page_in_the_admin(admin_client_logged_in, lab_index):
    data = nested_form_data(
        {
            "title": "OK Lab Flensburg",
            "slug": "flensburg",
            "intro": "Civic Tech im Norden.",
            "city": "Flensburg",
            "bundesland": "schleswig-holstein",
            "lat": "54.7937",
            "long": "9.4370",
            "founding_year": "2023",
            "url_aliases": "/flensburg, /fl",
            "meetings": streamfield(
                [
                    (
                        "meeting",
                        {
                            "rhythm": "weekly",
                            "weekday": "2",
                            "interval_weeks": "",
                            "first_date": "",
                            "week_of_month": "",
                            "start_time": "18:00",
                            "end_time": "21:00",
                            "venue_name": "Aktivitetshuset",
                            "street": "Norderstraße 49",
                            "postcode": "24939",
                            "city": "Flensburg",
                            "notes": "Hinterhaus",
                        },
                    )
                ]
            ),
            "leads": streamfield(
                [
                    (
                        "contact",
                        {
                            "name": "Kontakt Allgemein",
                            "role": "",
                            "email": "lab@example.org",
                            "url": "",
                        },
                    )
                ]
            ),
            "members": streamfield(
                [("member", {"name": "Roald", "github": "roald", "mastodon": ""})]
            ),
            "meeting_exceptions": streamfield([]),
            "links": streamfield(
                [
                    (
                        "link",
                        {"kind": "github", "url": "https://github.com/oklabflensburg", "label": ""},
                    )
                ]
            ),
            "body": streamfield([("paragraph", rich_text("<p>Wir treffen uns.</p>"))]),
            "action-publish": "publish",
        }
    )
    response = admin_client_logged_in.post(admin_add_url(LabPage, lab_index), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    lab = LabPage.objects.get(slug="flensburg")
    assert lab.live and lab.city == "Flensburg" and lab.founding_year == 2023
    assert lab.meetings[0].value["start_time"] == datetime.time(18, 0)
    assert lab.links[0].value["kind"] == "github"


def test_lab_page_form_reports_invalid_coordinates_and_meeting(admin_client_logged_in, lab_index):
    data = nested_form_data(
        {
            "title": "OK Lab Nirgendwo",
            "slug": "nirgendwo",
            "city": "Nirgendwo",
            "bundesland": "berlin",
            "lat": "12.0",
            "long": "9.4",
            "meetings": streamfield(
                [("meeting", {"rhythm": "weekly", "weekday": "", "start_time": "", "end_time": ""})]
            ),
            "leads": streamfield([]),
            "members": streamfield([]),
            "meeting_exceptions": streamfield([]),
            "links": streamfield([]),
            "body": streamfield([]),
            "url_aliases": "",
            "action-publish": "publish",
        }
    )
    response = admin_client_logged_in.post(admin_add_url(LabPage, lab_index), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "47" in html and not LabPage.objects.filter(slug="nirgendwo").exists()
