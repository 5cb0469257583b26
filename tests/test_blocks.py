"""Block validation, rendering and admin previews."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamValue

from home.blocks import BaseStreamBlock, CallToActionBlock, ContactCardBlock, ProjectCardBlock
from labs.blocks import LabStreamBlock, MeetingScheduleBlock
from labs.models import LabPage
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def clean(block, value):
    return block.clean(block.to_python(value))


def error_fields(error):
    return set(error.value.block_errors)


def test_call_to_action_needs_a_page_or_a_url_not_both(home_page):
    block = CallToActionBlock()
    with pytest.raises(ValidationError) as neither:
        clean(block, {"text": "Mitmachen", "page": None, "url": ""})
    assert error_fields(neither) == {"page", "url"}
    with pytest.raises(ValidationError) as both:
        clean(block, {"text": "Mitmachen", "page": home_page.pk, "url": "https://codefor.de"})
    assert "nicht beides" in str(both.value.block_errors["url"])
    assert clean(block, {"text": "Mitmachen", "page": None, "url": "https://codefor.de"})
    assert clean(block, {"text": "Mitmachen", "page": home_page.pk, "url": ""})


def meeting(**changes):
    value = {
        "rhythm": "weekly",
        "weekday": "2",
        "interval_weeks": None,
        "first_date": None,
        "week_of_month": "",
        "start_time": "18:00",
        "end_time": "21:00",
        "venue_name": "",
        "street": "",
        "postcode": "",
        "city": "",
        "notes": "",
    }
    value.update(changes)
    return value


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"weekday": ""}, {"weekday"}),
        ({"start_time": None}, {"start_time"}),
        ({"end_time": "17:00"}, {"end_time"}),
        ({"rhythm": "monthly"}, {"week_of_month"}),
        ({"rhythm": "every-n-weeks"}, {"interval_weeks", "first_date"}),
        (
            {"rhythm": "every-n-weeks", "interval_weeks": 2, "first_date": "2026-11-24"},
            {"first_date"},
        ),
        ({"rhythm": "by-arrangement", "weekday": "", "start_time": None}, {"notes"}),
        ({"postcode": "2493"}, {"postcode"}),
    ],
)
def test_meeting_block_says_what_to_fix(changes, fields):
    with pytest.raises(ValidationError) as error:
        clean(MeetingScheduleBlock(), meeting(**changes))
    assert error_fields(error) == fields


def test_valid_meetings_pass_and_describe_themselves():
    block = MeetingScheduleBlock()
    weekly = clean(block, meeting(venue_name="Aktivitetshuset", postcode="24939", city="Flensburg"))
    assert weekly.rhythm_text() == "Jeden Mittwoch, 18:00–21:00 Uhr"
    assert weekly.address() == "Aktivitetshuset, 24939 Flensburg"
    monthly = clean(block, meeting(rhythm="monthly", weekday="1", week_of_month="1", end_time=None))
    assert monthly.rhythm_text() == "Jeden ersten Dienstag im Monat, ab 18:00 Uhr"
    fortnightly = clean(
        block,
        meeting(rhythm="every-n-weeks", interval_weeks=2, first_date="2026-11-25"),
    )
    assert fortnightly["first_date"] == datetime.date(2026, 11, 25)
    assert fortnightly.rhythm_text() == "Alle 2 Wochen am Mittwoch, 18:00–21:00 Uhr"
    arranged = clean(block, meeting(rhythm="by-arrangement", weekday="", notes="Per Mail"))
    assert arranged.rhythm_text() == "Nach Vereinbarung"


def test_project_card_with_an_image_needs_alt_text():
    image = ImageFactory()
    value = {
        "title": "T",
        "summary": "S",
        "image": image.pk,
        "image_alt_text": "",
        "status": "idea",
    }
    with pytest.raises(ValidationError) as error:
        clean(ProjectCardBlock(), value)
    assert error_fields(error) == {"image_alt_text"}


def test_contact_card_refuses_a_malformed_email():
    with pytest.raises(ValidationError) as error:
        clean(ContactCardBlock(), {"name": "A", "role": "", "email": "no-at-sign", "url": ""})
    assert error_fields(error) == {"email"}


@pytest.mark.parametrize("stream_block", [BaseStreamBlock, LabStreamBlock])
def test_every_block_has_a_template_description_and_preview(stream_block, home_page):
    ImageFactory()
    for name, block in stream_block().child_blocks.items():
        assert block.meta.template.startswith("blocks/"), name
        assert str(block.meta.description), name
        assert block.is_previewable, name
        html = block.render(block.get_preview_value())
        assert html.strip(), name


def test_block_preview_in_the_admin_uses_the_site_css(admin_client_logged_in):
    block = LabPage._meta.get_field("meetings").stream_block.child_blocks["meeting"]
    response = admin_client_logged_in.get("/admin/block-preview/", {"id": block.definition_prefix})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aktivitetshuset, Norderstraße 49, 24939 Flensburg" in html
    assert "css/site.css" in html


def test_text_blocks_escape_html():
    value = StreamValue(
        BaseStreamBlock(),
        [("quote", {"quote": "<script>alert(1)</script>", "attribution": "<b>x</b>"})],
    )
    html = "".join(str(block) for block in value)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
