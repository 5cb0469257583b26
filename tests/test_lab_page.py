"""Lab index and lab pages: filter, status, aliases, rendering and flat query counts."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.contrib.redirects.models import Redirect

from labs.models import LabPage
from tests.factories import ImageFactory, LabPageFactory
from tests.helpers import QUERY_LIMITS

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_labs(lab_index, flensburg):
    duesseldorf = LabPageFactory(
        parent=lab_index,
        city="Düsseldorf",
        slug="duesseldorf",
        bundesland="nordrhein-westfalen",
        lat=51.2277,
        long=6.7735,
    )
    ulm = LabPageFactory(
        parent=lab_index, city="Ulm", slug="ulm", bundesland="baden-wuerttemberg", inactive=True
    )
    return flensburg, duesseldorf, ulm


def lab_titles(response):
    return [lab.title for lab in response.context["active_labs"]], [
        lab.title for lab in response.context["inactive_labs"]
    ]


def test_index_lists_active_labs_by_city_and_inactive_apart(client, three_labs):
    response = client.get("/ok-labs/")
    assert lab_titles(response) == (["OK Lab Düsseldorf", "OK Lab Flensburg"], ["OK Lab Ulm"])
    html = response.content.decode()
    assert "2 aktive Labs" in html
    assert "Inaktive Labs" in html
    assert "Schleswig-Holstein" in html and "Jeden Mittwoch, 18:00–21:00 Uhr" in html


def test_bundesland_filter_with_a_valid_value(client, three_labs):
    response = client.get("/ok-labs/", {"bundesland": "nordrhein-westfalen"})
    assert lab_titles(response) == (["OK Lab Düsseldorf"], [])
    html = response.content.decode()
    assert "1 aktives Lab in Nordrhein-Westfalen" in html
    assert '<option value="nordrhein-westfalen" selected>' in html


@pytest.mark.parametrize("value", ["atlantis", "", "<script>", "schleswig-holstein' OR 1=1"])
def test_bundesland_filter_ignores_invalid_values(client, three_labs, value):
    response = client.get("/ok-labs/", {"bundesland": value})
    assert response.status_code == 200
    assert lab_titles(response) == (["OK Lab Düsseldorf", "OK Lab Flensburg"], ["OK Lab Ulm"])
    assert "<script>" not in response.content.decode().split("</head>")[1]


def test_lab_page_shows_structured_fields(client, flensburg):
    flensburg.leads = [
        ("contact", {"name": "Roald", "role": "Lab-Lead", "email": "roald@example.org", "url": ""})
    ]
    flensburg.links = [
        ("link", {"kind": "mastodon", "url": "https://norden.social/@oklabflensburg", "label": ""}),
        ("link", {"kind": "github", "url": "https://github.com/oklabflensburg", "label": ""}),
    ]
    flensburg.members = [("member", {"name": "Ada", "github": "ada", "mastodon": ""})]
    flensburg.save_revision().publish()
    html = client.get(flensburg.url).content.decode()
    assert "Flensburg · Schleswig-Holstein · gegründet 2023" in html
    assert "Jeden Mittwoch, 18:00–21:00 Uhr" in html
    assert "Aktivitetshuset, Norderstraße 49, 24939 Flensburg" in html
    assert "roald@example.org" not in html and "Roald" in html
    assert '<img src="/static/icons/links/mastodon.svg" alt=""' in html
    assert "<span>Mastodon</span>" in html and "<span>GitHub</span>" in html
    assert 'href="https://github.com/ada"' in html
    # no logo: a hexagon with the city's name, with an accessible name
    assert '<svg class="lab-logo lab-logo--generated"' in html
    assert 'role="img" aria-label="OK Lab Flensburg"' in html


def test_lab_with_a_logo_shows_it(client, flensburg):
    flensburg.logo = ImageFactory(title="Hexagon Flensburg")
    flensburg.save_revision().publish()
    html = client.get(flensburg.url).content.decode()
    assert 'alt="OK Lab Flensburg"' in html and "lab-logo--generated" not in html


def test_inactive_lab_says_so_and_stays_reachable(client, three_labs):
    ulm = three_labs[2]
    response = client.get(ulm.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Lab ist inaktiv" in html and "wiederbeleben" in html


def test_aliases_become_permanent_redirects_kept_in_step(client, flensburg):
    flensburg.url_aliases = "/flensburg, fl/ , /fl"
    flensburg.save_revision().publish()
    assert sorted(Redirect.objects.values_list("old_path", flat=True)) == ["/fl", "/flensburg"]
    response = client.get("/fl")
    assert response.status_code == 301 and response["Location"] == "/ok-labs/flensburg/"
    flensburg.url_aliases = "/flensburg"
    flensburg.save_revision().publish()
    assert list(Redirect.objects.values_list("old_path", flat=True)) == ["/flensburg"]
    assert client.get("/fl", follow=True).status_code == 404


def test_an_alias_of_another_lab_is_refused(three_labs):
    flensburg, duesseldorf, _ = three_labs
    flensburg.url_aliases = "/fl"
    flensburg.save_revision().publish()
    duesseldorf.url_aliases = "/duesseldorf, /fl"
    with pytest.raises(ValidationError) as error:
        duesseldorf.full_clean()
    assert "url_aliases" in error.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"), [("lat", 12.0), ("lat", 60.0), ("long", 30.0), ("founding_year", 1999)]
)
def test_implausible_values_are_refused(flensburg, field, value):
    setattr(flensburg, field, value)
    with pytest.raises(ValidationError) as error:
        flensburg.full_clean()
    assert field in error.value.message_dict


def make_labs(lab_index, count):
    logo = ImageFactory(title="Logo")
    for number in range(count):
        LabPageFactory(
            parent=lab_index, city=f"Stadt{number:03d}", logo=logo if number % 2 else None
        )


@pytest.mark.parametrize("count", [1, 100])
def test_lab_index_queries_do_not_grow_with_the_number_of_labs(
    client, lab_index, count, django_assert_max_num_queries
):
    make_labs(lab_index, count)
    client.get("/ok-labs/")  # warm the renditions
    with django_assert_max_num_queries(QUERY_LIMITS["lab index"]):
        response = client.get("/ok-labs/")
    assert len(response.context["active_labs"]) == count


@pytest.mark.parametrize("count", [1, 100])
def test_home_page_queries_do_not_grow_with_the_number_of_labs(
    client, lab_index, count, django_assert_max_num_queries
):
    make_labs(lab_index, count)
    client.get("/")
    with django_assert_max_num_queries(QUERY_LIMITS["home"]):
        response = client.get("/")
    assert response.content.decode().count('<li class="lab-card') == count


@pytest.mark.parametrize("count", [1, 50])
def test_lab_page_queries_do_not_grow_with_the_number_of_blocks(
    client, flensburg, count, django_assert_max_num_queries
):
    flensburg.body = [("paragraph", f"<p>Absatz {n}</p>") for n in range(count)]
    flensburg.links = [
        ("link", {"kind": "website", "url": f"https://example.org/{n}", "label": ""})
        for n in range(count)
    ]
    flensburg.save_revision().publish()
    url = flensburg.url
    client.get(url)  # creates the site settings row once
    with django_assert_max_num_queries(QUERY_LIMITS["lab page"]):
        response = client.get(url)
    assert response.content.decode().count("https://example.org/") == count


def test_lab_page_type_requires_the_structured_fields(lab_index):
    lab = LabPage(title="OK Lab Irgendwo", slug="irgendwo")
    with pytest.raises(ValidationError) as error:
        lab.full_clean()
    assert {"city", "bundesland", "lat", "long"} <= set(error.value.message_dict)
