"""Projects, news and events: where they live, their indexes and filters, lab pages, queries."""

import datetime

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from network.models import EventPage, NewsPage, ProjectPage
from tests.conftest import translate
from tests.factories import (
    EventIndexPageFactory,
    EventPageFactory,
    LabPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
    TopicFactory,
    with_labs,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(home_page, lab_index, flensburg):
    """The three network indexes, a second lab, and two topics."""
    duesseldorf = LabPageFactory(
        parent=lab_index,
        title="OK Lab Düsseldorf",
        city="Düsseldorf",
        slug="duesseldorf",
        bundesland="nordrhein-westfalen",
        lat=51.23,
        long=6.77,
    )
    return {
        "projects": ProjectIndexPageFactory(parent=home_page),
        "news": NewsIndexPageFactory(parent=home_page),
        "events": EventIndexPageFactory(parent=home_page),
        "flensburg": flensburg,
        "duesseldorf": duesseldorf,
        "umwelt": TopicFactory(name="Umwelt", slug="umwelt"),
        "mobilitaet": TopicFactory(name="Mobilität", slug="mobilitaet"),
    }


def test_page_type_hierarchy():
    assert {model.__name__ for model in ProjectPage.allowed_parent_page_models()} == {
        "ProjectIndexPage",
        "LabPage",
    }
    assert {model.__name__ for model in NewsPage.allowed_parent_page_models()} == {
        "NewsIndexPage",
        "LabPage",
    }
    assert {model.__name__ for model in EventPage.allowed_parent_page_models()} == {
        "EventIndexPage",
        "LabPage",
    }
    for model in (ProjectPage, NewsPage, EventPage):
        assert model.allowed_subpage_models() == []


def test_a_page_below_a_lab_belongs_to_that_lab(network):
    project = ProjectPageFactory(parent=network["flensburg"], title="Trinkwasserkarte")
    assert list(ProjectPage.for_lab(network["flensburg"])) == [project]
    assert list(ProjectPage.for_lab(network["duesseldorf"])) == []
    assert project.lab_list() == [network["flensburg"]]


def test_a_project_of_two_labs_shows_on_both_lab_pages(client, network):
    project = ProjectPageFactory(parent=network["flensburg"], title="Baumkataster", showcase=True)
    with_labs(project, network["duesseldorf"])
    for lab in (network["flensburg"], network["duesseldorf"]):
        html = client.get(lab.url).content.decode()
        assert "Baumkataster" in html, lab.title
    assert ProjectPage.objects.count() == 1


def test_lab_page_lists_showcase_projects_first(client, network):
    flensburg = network["flensburg"]
    ProjectPageFactory(
        parent=flensburg, title="Aaa gewöhnlich", start_date=datetime.date(2026, 1, 1)
    )
    ProjectPageFactory(parent=flensburg, title="Zzz Vorzeige", showcase=True)
    response = client.get(flensburg.url)
    html = response.content.decode()
    assert html.index("Zzz Vorzeige") < html.index("Aaa gewöhnlich")


def project_titles(response):
    return sorted(project.title for project in response.context["projects"])


@pytest.fixture
def projects(network):
    karte = ProjectPageFactory(
        parent=network["flensburg"], title="Karte", status="seeking-contributors"
    )
    karte.topics.add(network["umwelt"])
    karte.save_revision().publish()
    rad = ProjectPageFactory(parent=network["duesseldorf"], title="Radwege", status="active")
    rad.topics.add(network["mobilitaet"])
    rad.save_revision().publish()
    netz = ProjectPageFactory(parent=network["projects"], title="Netzwerkprojekt", status="idea")
    return {"karte": karte, "rad": rad, "netz": netz}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Karte", "Netzwerkprojekt", "Radwege"]),
        ({"topic": "umwelt"}, ["Karte"]),
        ({"lab": "duesseldorf"}, ["Radwege"]),
        ({"status": "seeking-contributors"}, ["Karte"]),
        ({"bundesland": "schleswig-holstein"}, ["Karte"]),
        ({"status": "seeking-contributors", "bundesland": "schleswig-holstein"}, ["Karte"]),
        ({"status": "seeking-contributors", "bundesland": "nordrhein-westfalen"}, []),
        ({"topic": "mobilitaet", "lab": "duesseldorf", "status": "active"}, ["Radwege"]),
        (
            {"topic": "gibt-es-nicht", "lab": "<b>", "status": "1 OR 1=1"},
            ["Karte", "Netzwerkprojekt", "Radwege"],
        ),
        ({"page": "999"}, ["Karte", "Netzwerkprojekt", "Radwege"]),
        ({"page": "abc"}, ["Karte", "Netzwerkprojekt", "Radwege"]),
    ],
)
def test_project_index_filters(client, network, projects, query, expected):
    response = client.get(network["projects"].url, query)
    assert response.status_code == 200
    assert project_titles(response) == expected
    assert f"{len(expected)} Projekt" in response.content.decode()


def test_seeking_contributors_view(client, network, projects):
    html = client.get(network["projects"].url, {"status": "seeking-contributors"}).content.decode()
    assert "<h1>Projekte, die Mitwirkende suchen</h1>" in html
    assert "Karte" in html and "Radwege" not in html


def test_project_index_paginates(client, network):
    for number in range(14):
        ProjectPageFactory(parent=network["projects"], title=f"P{number:02d}")
    first = client.get(network["projects"].url)
    second = client.get(network["projects"].url, {"page": 2})
    assert len(first.context["projects"]) == 12 and len(second.context["projects"]) == 2
    assert "Seite 1 von 2" in first.content.decode()


@pytest.fixture
def posts(network):
    today = timezone.localdate()
    lab_post = NewsPageFactory(
        parent=network["flensburg"],
        title="Hackday in Flensburg",
        category="event-report",
        date=today,
    )
    NewsPageFactory(
        parent=network["news"],
        title="Netzwerk-Newsletter",
        category="announcement",
        date=today - datetime.timedelta(days=2),
    )
    future = NewsPageFactory(
        parent=network["news"], title="Zukunft", date=today + datetime.timedelta(days=3)
    )
    draft = NewsPageFactory(parent=network["news"], title="Entwurf", date=today)
    draft.unpublish()
    scheduled = NewsPageFactory(parent=network["news"], title="Geplant", date=today)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.live = False
    scheduled.save()
    return {"lab_post": lab_post, "future": future, "draft": draft}


def test_news_index_hides_drafts_scheduled_and_future_posts(client, network, posts):
    response = client.get(network["news"].url)
    assert [post.title for post in response.context["posts"]] == [
        "Hackday in Flensburg",
        "Netzwerk-Newsletter",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "event-report"}, ["Hackday in Flensburg"]),
        ({"lab": "flensburg"}, ["Hackday in Flensburg"]),
        ({"lab": "duesseldorf"}, []),
        ({"category": "nonsense"}, ["Hackday in Flensburg", "Netzwerk-Newsletter"]),
    ],
)
def test_news_index_filters(client, network, posts, query, expected):
    response = client.get(network["news"].url, query)
    assert [post.title for post in response.context["posts"]] == expected


def test_lab_page_shows_its_latest_news(client, network, posts):
    html = client.get(network["flensburg"].url).content.decode()
    assert "Hackday in Flensburg" in html and "Netzwerk-Newsletter" not in html


def test_events_upcoming_first_past_apart_and_cancelled_says_so(client, network):
    now = timezone.now()
    EventPageFactory(
        parent=network["events"], title="Open Data Day", start=now + datetime.timedelta(days=30)
    )
    EventPageFactory(
        parent=network["flensburg"],
        title="Workshop",
        start=now + datetime.timedelta(days=3),
        status="cancelled",
    )
    EventPageFactory(
        parent=network["events"], title="Barcamp 2025", start=now - datetime.timedelta(days=300)
    )
    response = client.get(network["events"].url)
    assert [event.title for event in response.context["upcoming_events"]] == [
        "Workshop",
        "Open Data Day",
    ]
    assert [event.title for event in response.context["past_events"]] == ["Barcamp 2025"]
    html = response.content.decode()
    assert "Abgesagt" in html
    workshop = EventPage.objects.get(title="Workshop")
    page_html = client.get(workshop.url).content.decode()
    assert "Diese Veranstaltung wurde abgesagt." in page_html
    lab_html = client.get(network["flensburg"].url).content.decode()
    assert "Kommende Termine" in lab_html and "Workshop" in lab_html and "Barcamp" not in lab_html


def test_event_dates_are_formatted_for_the_language(client, network, english):
    event = EventPageFactory(
        parent=network["events"],
        title="Open Data Day",
        start=datetime.datetime(2030, 3, 7, 9, tzinfo=datetime.UTC),
        end=datetime.datetime(2030, 3, 7, 16, tzinfo=datetime.UTC),
    )
    german = client.get(event.url).content.decode()
    assert "7. März 2030, 10:00" in german and "17:00" in german
    home_en = translate(network["projects"].get_parent().specific, english)
    translate(network["events"], english, slug="events")
    event_en = translate(event, english, title="Open Data Day")
    assert home_en.live
    html = client.get(event_en.url).content.decode()
    assert "March 7, 2030, 10 a.m." in html


def admin_add_url(model, parent):
    return f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"


def test_lab_editor_adds_a_project_news_and_event_through_the_admin(
    admin_client_logged_in, network
):
    flensburg = network["flensburg"]
    project = nested_form_data(
        {
            "title": "Trinkwasserkarte",
            "slug": "trinkwasserkarte",
            "summary": "Alle Trinkbrunnen der Stadt.",
            "image_alt_text": "",
            "status": "seeking-contributors",
            "showcase": "on",
            "start_date": "2025-05-01",
            "links": streamfield(
                [
                    (
                        "link",
                        {"kind": "code", "url": "https://github.com/oklabflensburg/x", "label": ""},
                    )
                ]
            ),
            "collaborators": streamfield([("collaborator", {"name": "Ada", "url": ""})]),
            "body": streamfield([("paragraph", rich_text("<p>Karte.</p>"))]),
            "action-publish": "publish",
        }
    )
    project.update(labs=[network["duesseldorf"].pk], topics=[network["umwelt"].pk])
    response = admin_client_logged_in.post(admin_add_url(ProjectPage, flensburg), project)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = ProjectPage.objects.get(slug="trinkwasserkarte")
    assert [lab.slug for lab in created.lab_list()] == ["flensburg", "duesseldorf"]
    assert [topic.slug for topic in created.topics.all()] == ["umwelt"]

    news = nested_form_data(
        {
            "title": "Hackday",
            "slug": "hackday",
            "date": "2026-11-20",
            "author": "Roald",
            "excerpt": "Ein Tag voller Code.",
            "image_alt_text": "",
            "category": "event-report",
            "body": streamfield([]),
            "action-publish": "publish",
        }
    )
    response = admin_client_logged_in.post(admin_add_url(NewsPage, flensburg), news)
    assert response.status_code == 302, response.content.decode()[:3000]

    event = nested_form_data(
        {
            "title": "Open Data Day",
            "slug": "open-data-day",
            "summary": "Wir feiern offene Daten.",
            "start": "2027-03-06 10:00",
            "end": "2027-03-06 17:00",
            "status": "scheduled",
            "venue_name": "Stadtbibliothek",
            "city": "Flensburg",
            "registration_url": "https://example.org/anmeldung",
            "body": streamfield([]),
            "action-publish": "publish",
        }
    )
    response = admin_client_logged_in.post(admin_add_url(EventPage, flensburg), event)
    assert response.status_code == 302, response.content.decode()[:3000]
    created_event = EventPage.objects.get(slug="open-data-day")
    assert created_event.start == datetime.datetime(2027, 3, 6, 9, tzinfo=datetime.UTC)


def test_event_form_says_how_to_fix_bad_input(admin_client_logged_in, network):
    data = nested_form_data(
        {
            "title": "Kaputt",
            "slug": "kaputt",
            "summary": "x",
            "start": "2027-03-06 10:00",
            "end": "2027-03-05 10:00",
            "status": "scheduled",
            "online": "on",
            "body": streamfield([]),
            "action-publish": "publish",
        }
    )
    response = admin_client_logged_in.post(admin_add_url(EventPage, network["events"]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Das Ende muss nach dem Beginn liegen." in html
    assert "Gib den Link an, über den man an der Online-Veranstaltung teilnimmt." in html
    assert not EventPage.objects.filter(slug="kaputt").exists()


@pytest.mark.parametrize("count", [1, 50])
def test_index_queries_do_not_grow_with_items(
    client, network, count, django_assert_max_num_queries
):
    for number in range(count):
        project = ProjectPageFactory(parent=network["flensburg"], title=f"Projekt {number}")
        NewsPageFactory(parent=network["flensburg"], title=f"News {number}")
        EventPageFactory(
            parent=network["flensburg"],
            title=f"Event {number}",
            start=timezone.now() + datetime.timedelta(days=number + 1),
        )
        with_labs(project, network["duesseldorf"])
    for index in ("projects", "news", "events"):
        url = network[index].url
        client.get(url)
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200
