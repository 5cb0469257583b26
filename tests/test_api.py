"""Machine-readable labs and projects (JSON, validated by the schemas in the repo) and JSON-LD."""

import datetime
import json
import re
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from labs import schedule
from tests.conftest import translate
from tests.factories import (
    EventPageFactory,
    LabPageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
    TopicFactory,
    with_labs,
)
from tests.helpers import PROJECT_DIR

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime.datetime(2026, 11, 23, 12, tzinfo=BERLIN)
SCHEMAS = PROJECT_DIR / "labs" / "schemas"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(schedule, "clock", lambda: NOW)


def schema(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def validate(data, name):
    validator = jsonschema.Draft202012Validator(
        schema(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.path))
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors]


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


@pytest.fixture
def network(home_page, lab_index, flensburg, english):
    flensburg.leads = [
        (
            "contact",
            {"name": "Roald", "role": "Lab-Lead", "email": "roald@example.org", "url": ""},
        ),
        (
            "contact",
            {
                "name": "Kontakt",
                "role": "",
                "email": "",
                "url": "https://oklabflensburg.de/kontakt",
            },
        ),
    ]
    flensburg.links = [
        ("link", {"kind": "website", "url": "https://oklabflensburg.de", "label": ""}),
        ("link", {"kind": "mastodon", "url": "https://norden.social/@oklabflensburg", "label": ""}),
        ("link", {"kind": "pad", "url": "https://pad.example.org/oklab", "label": "Protokolle"}),
    ]
    flensburg.save_revision().publish()
    ulm = LabPageFactory(
        parent=lab_index, city="Ulm", slug="ulm", bundesland="baden-wuerttemberg", inactive=True
    )
    koeln = LabPageFactory(
        parent=lab_index,
        city="Köln",
        slug="koeln",
        bundesland="nordrhein-westfalen",
        meetings=[
            (
                "meeting",
                {
                    "rhythm": "monthly",
                    "weekday": "3",
                    "week_of_month": "-1",
                    "start_time": datetime.time(19),
                    "venue_name": "Bürgerhaus",
                    "city": "Köln",
                },
            )
        ],
    )
    EventPageFactory(parent=flensburg, title="Hackday", start=NOW + datetime.timedelta(days=5))
    EventPageFactory(parent=flensburg, title="Vorbei", start=NOW - datetime.timedelta(days=5))
    projects = ProjectIndexPageFactory(parent=home_page)
    mobility = TopicFactory(name="Mobilität", slug="mobilitaet")
    mobility_en = mobility.copy_for_translation(english)
    mobility_en.name = "Mobility"
    mobility_en.save()
    shared = with_labs(ProjectPageFactory(parent=projects, title="Radwege"), flensburg, koeln)
    shared.topics.add(mobility)
    shared.links = [("link", {"kind": "code", "url": "https://github.com/okfde/x", "label": ""})]
    shared.save_revision().publish()
    ProjectPageFactory(parent=flensburg, title="Haushalt", status="finished")
    translate(lab_index, english, title="OK Labs", slug="ok-labs")
    translate(flensburg, english, intro="Civic tech in the north.")
    return {"flensburg": flensburg, "ulm": ulm, "koeln": koeln, "project": shared}


def test_labs_json_validates_and_holds_what_visitors_need(client, network):
    data = get_json(client, "/api/v1/labs.json")
    validate(data, "labs.v1.schema.json")
    assert data["version"] == 1 and data["language"] == "de"
    assert data["$schema"] == "http://testserver/api/v1/schemas/labs.v1.schema.json"
    labs = {lab["id"]: lab for lab in data["labs"]}
    assert list(labs) == ["flensburg", "koeln", "ulm"]
    flensburg = labs["flensburg"]
    assert flensburg["name"] == "OK Lab Flensburg" and flensburg["language"] == "de"
    assert flensburg["bundesland"] == {"code": "schleswig-holstein", "name": "Schleswig-Holstein"}
    assert flensburg["status"] == "active" and labs["ulm"]["status"] == "inactive"
    assert flensburg["coordinates"] == {"lat": 54.7937, "long": 9.437}
    assert flensburg["urls"] == {
        "de": "http://localhost/ok-labs/flensburg/",
        "en": "http://localhost/en/ok-labs/flensburg/",
    }
    assert labs["koeln"]["urls"]["en"] is None
    assert flensburg["calendar"] == "http://testserver/calendar/de/labs/flensburg.ics"
    assert [link["kind"] for link in flensburg["links"]] == ["website", "mastodon", "pad"]
    assert flensburg["links"][2]["label"] == "Protokolle"
    assert flensburg["contacts"] == [
        {"name": "Roald", "role": "Lab-Lead", "url": None},
        {"name": "Kontakt", "role": "", "url": "https://oklabflensburg.de/kontakt"},
    ]
    assert flensburg["meetings"][0]["rhythm"] == "weekly"
    assert flensburg["meetings"][0]["weekday"] == 2
    assert flensburg["meetings"][0]["start_time"] == "18:00"
    assert flensburg["next_meeting"]["start"] == "2026-11-25T18:00:00+01:00"
    assert flensburg["next_meeting"]["end"] == "2026-11-25T21:00:00+01:00"
    assert labs["koeln"]["next_meeting"]["start"] == "2026-11-26T19:00:00+01:00"
    assert labs["ulm"]["next_meeting"] is None
    assert [event["title"] for event in flensburg["upcoming_events"]] == ["Hackday"]
    assert labs["koeln"]["upcoming_events"] == []


def test_labs_json_never_publishes_email_addresses(client, network):
    response = client.get("/api/v1/labs.json")
    assert b"roald@example.org" not in response.content
    assert b"mailto:" not in response.content


def test_labs_json_in_english(client, network):
    data = get_json(client, "/api/v1/labs.json", language="en")
    validate(data, "labs.v1.schema.json")
    assert data["language"] == "en"
    labs = {lab["id"]: lab for lab in data["labs"]}
    assert labs["flensburg"]["language"] == "en"
    assert labs["flensburg"]["description"] == "Civic tech in the north."
    assert labs["flensburg"]["url"] == "http://localhost/en/ok-labs/flensburg/"
    assert labs["flensburg"]["meetings"][0]["description"] == "Every Wednesday, 18:00–21:00"
    assert labs["koeln"]["language"] == "de"  # not translated: German
    assert labs["koeln"]["bundesland"]["name"] == "North Rhine-Westphalia"
    assert labs["flensburg"]["calendar"].endswith("/calendar/en/labs/flensburg.ics")


@pytest.mark.parametrize("language", ["fr", "", "de'--"])
def test_an_unknown_language_is_a_bad_request(client, network, language):
    response = client.get("/api/v1/labs.json", {"language": language})
    assert response.status_code == 400
    assert "error" in response.json()
    assert client.get("/api/v1/projects.json", {"language": language}).status_code == 400


def test_projects_json_validates_with_labs_topics_and_links(client, network):
    data = get_json(client, "/api/v1/projects.json")
    validate(data, "projects.v1.schema.json")
    projects = {project["name"]: project for project in data["projects"]}
    assert sorted(projects) == ["Haushalt", "Radwege"]
    radwege = projects["Radwege"]
    assert radwege["labs"] == ["flensburg", "koeln"]
    assert radwege["topics"] == [{"slug": "mobilitaet", "name": "Mobilität"}]
    assert [(link["kind"], link["url"]) for link in radwege["links"]] == [
        ("code", "https://github.com/okfde/x")
    ]
    assert radwege["status"]["code"] == "active"
    assert radwege["id"] == str(network["project"].translation_key)
    assert projects["Haushalt"]["labs"] == ["flensburg"]  # below the lab
    assert projects["Haushalt"]["status"]["code"] == "finished"
    english = get_json(client, "/api/v1/projects.json", language="en")
    validate(english, "projects.v1.schema.json")
    radwege_en = {project["name"]: project for project in english["projects"]}["Radwege"]
    assert radwege_en["topics"] == [{"slug": "mobilitaet", "name": "Mobility"}]
    assert radwege_en["status"]["name"] == "Active" and radwege_en["language"] == "de"
    assert radwege_en["links"][0]["label"] == "Code repository"


def test_the_schemas_are_served_and_are_valid_json_schemas(client):
    for name in ("labs.v1.schema.json", "projects.v1.schema.json"):
        jsonschema.Draft202012Validator.check_schema(schema(name))
        response = client.get(f"/api/v1/schemas/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/schema+json; charset=utf-8"
        assert response.json() == schema(name)
    assert client.get("/api/v1/schemas/secrets.json").status_code == 404
    assert client.get("/api/v1/schemas/..%2Fapi.py").status_code == 404


def test_lab_index_links_the_json(client, network):
    html = client.get("/ok-labs/").content.decode()
    assert '<link rel="alternate" type="application/json"' in html
    assert 'href="/api/v1/labs.json?language=de"' in html
    english = client.get("/en/ok-labs/").content.decode()
    assert 'href="/api/v1/labs.json?language=en"' in english


def make_labs(lab_index, count):
    for number in range(count):
        lab = LabPageFactory(parent=lab_index, city=f"Stadt{number:03d}")
        EventPageFactory(parent=lab, start=NOW + datetime.timedelta(days=number + 1))


@pytest.mark.parametrize("count", [1, 50])
def test_labs_json_queries_do_not_grow_with_the_number_of_labs(
    client, lab_index, count, django_assert_max_num_queries
):
    make_labs(lab_index, count)
    client.get("/api/v1/labs.json")
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/labs.json").json()
    assert len(data["labs"]) == count
    assert all(len(lab["upcoming_events"]) == 1 for lab in data["labs"])


@pytest.mark.parametrize("count", [1, 50])
def test_projects_json_queries_do_not_grow_with_the_number_of_projects(
    client, home_page, lab_index, flensburg, count, django_assert_max_num_queries
):
    projects = ProjectIndexPageFactory(parent=home_page)
    topic = TopicFactory()
    for number in range(count):
        project = with_labs(
            ProjectPageFactory(parent=projects, title=f"Projekt {number}"), flensburg
        )
        project.topics.add(topic)
        project.save_revision().publish()
    client.get("/api/v1/projects.json")
    with django_assert_max_num_queries(9):
        data = client.get("/api/v1/projects.json").json()
    assert len(data["projects"]) == count
    assert all(project["labs"] == ["flensburg"] for project in data["projects"])


# schema.org JSON-LD on lab pages


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_lab_page_json_ld_names_the_lab_and_its_next_meeting(client, network):
    response = client.get("/ok-labs/flensburg/")
    data = json_ld(response.content.decode())
    # A data block is never executed, so the strict policy needs no nonce or 'unsafe-inline' for it.
    assert "script-src 'self';" in response["Content-Security-Policy"]
    organisation, event = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert organisation["@type"] == "Organization" and organisation["name"] == "OK Lab Flensburg"
    assert organisation["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Flensburg",
        "addressRegion": "Schleswig-Holstein",
        "addressCountry": "DE",
        "streetAddress": "Norderstraße 49",
        "postalCode": "24939",
    }
    assert organisation["sameAs"] == ["https://norden.social/@oklabflensburg"]
    assert event["@type"] == "Event"
    assert event["startDate"] == "2026-11-25T18:00:00+01:00"
    assert event["endDate"] == "2026-11-25T21:00:00+01:00"
    assert event["location"]["name"] == "Aktivitetshuset"
    assert event["organizer"] == {"@id": organisation["@id"]}
    # The page shows the same date.
    assert "Mittwoch, 25. November 2026, 18:00–21:00 Uhr" in response.content.decode()


def test_english_lab_page_shows_the_next_meeting_in_english(client, network):
    html = client.get("/en/ok-labs/flensburg/").content.decode()
    assert "Next meeting:" in html
    assert "Wednesday, Nov. 25, 2026, 18:00–21:00" in html
    data = json_ld(html)
    assert data["@graph"][1]["name"] == "OK Lab Flensburg: meeting"


def test_json_ld_cannot_close_its_script_element(client, lab_index):
    lab = LabPageFactory(
        parent=lab_index,
        city="Hack",
        slug="hack",
        title="OK Lab </script><script>alert(1)</script> & <b>",
    )
    html = client.get(lab.url).content.decode()
    head = html.split("</head>")[0]
    assert "<script>alert(1)" not in head
    script = re.search(r'type="application/ld\+json"[^>]*>(.*?)</script>', head, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["@graph"][0]["name"] == lab.title


def test_a_lab_without_fixed_dates_has_no_event_in_its_json_ld(client, lab_index):
    lab = LabPageFactory(
        parent=lab_index,
        city="Irgendwo",
        meetings=[
            ("meeting", {"rhythm": "by-arrangement", "weekday": "", "notes": "Schreib uns."})
        ],
    )
    data = json_ld(client.get(lab.url).content.decode())
    assert [item["@type"] for item in data["@graph"]] == ["Organization"]
