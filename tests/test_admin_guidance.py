"""An admin that guides: tabs, help texts, previews, defaults, messages that say how to fix."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.admin.panels import FieldPanel, PanelGroup, TabbedInterface, get_edit_handler
from wagtail.models import Locale, Page, get_page_models
from wagtail.snippets.models import get_snippet_models
from wagtail.users.models import UserProfile

from home.models import ContentPage, HomePage, SiteSettings
from labs.blocks import MeetingScheduleBlock, Rhythm
from labs.models import LabIndexPage, LabPage
from network.models import (
    EventIndexPage,
    EventPage,
    NewsIndexPage,
    NewsPage,
    ProjectIndexPage,
    ProjectPage,
)
from tests.factories import (
    ContentPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    ImageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from tests.test_editors import create_form_data, edit_form_data

pytestmark = pytest.mark.django_db

OUR_APPS = {"home", "labs", "network"}
PAGE_MODELS = sorted(
    (model for model in get_page_models() if model._meta.app_label in OUR_APPS),
    key=lambda model: model.__name__,
)
# Wagtail's own fields of every page (title, slug, promote and settings tab) explain themselves.
WAGTAIL_PAGE_FIELDS = {field.name for field in Page._meta.get_fields()}


def field_panels(panel):
    if isinstance(panel, FieldPanel):
        yield panel
    if isinstance(panel, PanelGroup):
        for child in panel.children:
            yield from field_panels(child)


@pytest.fixture
def client_en(admin_client_logged_in, django_user_model):
    """A superuser whose admin speaks English."""
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "en"
    profile.save()
    return admin_client_logged_in


def test_every_page_type_of_the_site_is_checked():
    assert {model.__name__ for model in PAGE_MODELS} == {
        "HomePage",
        "ContentPage",
        "LabIndexPage",
        "LabPage",
        "ProjectIndexPage",
        "ProjectPage",
        "NewsIndexPage",
        "NewsPage",
        "EventIndexPage",
        "EventPage",
    }


# --- Tabs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_every_edit_form_is_arranged_in_tabs(model):
    handler = model.get_edit_handler()
    assert isinstance(handler, TabbedInterface)
    with translation.override("en"):
        headings = [str(tab.heading) for tab in handler.children]
    assert headings[0] == "Content"
    assert "Promote" in headings and headings[-1] == "Settings"


def test_the_lab_form_has_its_own_tabs_in_german():
    with translation.override("de"):
        headings = [str(tab.heading) for tab in LabPage.get_edit_handler().children]
    assert headings == ["Inhalt", "Treffen & Kontakt", "Links", "Promote", "Einstellungen"]


# --- Help texts ----------------------------------------------------------------------------------


def missing_help_texts(model):
    handler = model.get_edit_handler() if issubclass(model, Page) else get_edit_handler(model)
    return [
        panel.field_name
        for panel in field_panels(handler)
        if panel.field_name not in WAGTAIL_PAGE_FIELDS
        and not (panel.help_text or model._meta.get_field(panel.field_name).help_text)
    ]


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_every_field_an_editor_sees_has_a_help_text(model):
    assert missing_help_texts(model) == []


@pytest.mark.parametrize(
    "model",
    [SiteSettings, *(m for m in get_snippet_models() if m._meta.app_label in OUR_APPS)],
    ids=lambda model: model.__name__,
)
def test_snippets_and_settings_fields_have_help_texts_too(model):
    assert missing_help_texts(model) == []


def test_the_help_text_is_shown_in_the_form(client_en, home_page):
    page = ContentPageFactory(parent=home_page)
    response = client_en.get(reverse("wagtailadmin_pages:edit", args=[page.id]))
    assert "headings, paragraphs, images, links and questions" in response.content.decode()


# --- Previews ------------------------------------------------------------------------------------


@pytest.fixture
def one_page_of_each_type(home_page, lab_index, flensburg):
    image = ImageFactory()
    return {
        HomePage: home_page,
        ContentPage: ContentPageFactory(parent=home_page),
        LabIndexPage: lab_index,
        LabPage: flensburg,
        ProjectIndexPage: (projects := ProjectIndexPageFactory(parent=home_page)),
        ProjectPage: ProjectPageFactory(parent=projects, image=image, image_alt_text="Karte"),
        NewsIndexPage: (news := NewsIndexPageFactory(parent=home_page)),
        NewsPage: NewsPageFactory(parent=news),
        EventIndexPage: (events := EventIndexPageFactory(parent=home_page)),
        EventPage: EventPageFactory(parent=events),
    }


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_every_page_type_has_a_working_preview(client_en, one_page_of_each_type, model):
    page = one_page_of_each_type[model]
    data = edit_form_data(client_en, page)
    data["title"] = "Vorschau des Entwurfs"
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.id])

    response = client_en.post(url, data)

    assert response.json() == {"is_valid": True, "is_available": True}
    response = client_en.get(url)
    assert response.status_code == 200
    assert "Vorschau des Entwurfs" in response.content.decode()
    page.refresh_from_db()
    assert page.title != "Vorschau des Entwurfs"  # a preview changes nothing


# --- Defaults ------------------------------------------------------------------------------------


def test_a_new_meeting_is_weekly():
    assert MeetingScheduleBlock().child_blocks["rhythm"].get_default() == Rhythm.WEEKLY


def test_german_is_the_default_locale_of_new_pages(client_en, lab_index):
    assert Locale.get_default().language_code == "de"
    data = create_form_data(
        LabPage,
        title="OK Lab Kiel",
        slug="kiel",
        city="Kiel",
        bundesland="schleswig-holstein",
        lat="54.3233",
        long="10.1228",
    )
    url = reverse("wagtailadmin_pages:add", args=["labs", "labpage", lab_index.id])
    assert client_en.post(url, data).status_code == 302
    assert LabPage.objects.get(slug="kiel").locale.language_code == "de"


# --- Messages that say how to fix the input ------------------------------------------------------


def post_edit(client, page, **changes):
    data = edit_form_data(client, page)
    for name, value in changes.items():
        data[name] = value
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.id]), data)
    assert response.status_code == 200, "the form was accepted"
    return html.unescape(response.content.decode())


def test_home_page_says_how_long_the_button_text_may_be(client_en, home_page):
    page_html = post_edit(client_en, home_page, call_to_action_text="x" * 81)
    assert "Ensure this value has at most 80 characters (it has 81)." in page_html


def test_content_page_says_a_button_needs_a_target(client_en, home_page):
    page = ContentPageFactory(parent=home_page)
    page_html = post_edit(
        client_en,
        page,
        **{
            "body-count": "1",
            "body-0-type": "call_to_action",
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-id": "",
            "body-0-value-text": "Mitmachen",
            "body-0-value-page": "",
            "body-0-value-url": "",
        },
    )
    assert "Choose a page or enter a URL." in page_html


def test_lab_page_says_the_founding_year_cannot_lie_ahead(client_en, flensburg):
    next_year = str(datetime.date.today().year + 1)
    page_html = post_edit(client_en, flensburg, founding_year=next_year)
    assert "The founding year cannot lie ahead." in page_html


@pytest.mark.parametrize("factory", [ProjectPageFactory, NewsPageFactory])
def test_lead_images_ask_for_an_alternative_text(client_en, home_page, factory):
    page = factory(parent=home_page)
    page_html = post_edit(client_en, page, image=str(ImageFactory().pk), image_alt_text="")
    assert "Describe the image for people who cannot see it." in page_html


def test_event_page_asks_for_the_link_of_an_online_event(client_en, home_page):
    events = EventIndexPageFactory(parent=home_page)
    page = EventPageFactory(parent=events)
    page_html = post_edit(client_en, page, online="on", online_url="")
    assert "Enter the link where people join the online event." in page_html


@pytest.mark.parametrize(
    "factory",
    [ProjectIndexPageFactory, NewsIndexPageFactory, EventIndexPageFactory],
    ids=["projects", "news", "events"],
)
def test_index_pages_say_the_address_is_taken(client_en, home_page, lab_index, factory):
    page = factory(parent=home_page)
    page_html = post_edit(client_en, page, slug=lab_index.slug)
    assert f"The slug '{lab_index.slug}' is already in use within the parent page" in page_html


def test_lab_index_says_the_address_is_taken(client_en, home_page, lab_index):
    about = ContentPageFactory(parent=home_page, slug="ueber")
    page_html = post_edit(client_en, lab_index, slug=about.slug)
    assert "The slug 'ueber' is already in use within the parent page" in page_html
