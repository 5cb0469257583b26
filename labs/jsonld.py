"""schema.org JSON-LD for lab pages: the lab as an Organization, its next meeting as an Event."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Links that name the lab's profile on another platform (schema.org sameAs). Websites, pads,
# mailing lists and the like are links of the lab, not other pages about it.
PROFILE_KINDS = {"mastodon", "github", "twitter", "facebook", "bluesky", "meetup"}
# As django.utils.html.json_script: nothing in the data can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def dumps_for_script(data):
    """JSON that is safe inside a <script> element (<, > and & escaped)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308  (escaped above)


def postal_address(lab, meeting=None):
    address = {
        "@type": "PostalAddress",
        "addressLocality": (meeting or {}).get("city") or lab.city,
        "addressRegion": lab.get_bundesland_display(),
        "addressCountry": "DE",
    }
    if meeting and meeting.get("street"):
        address["streetAddress"] = meeting["street"]
    if meeting and meeting.get("postcode"):
        address["postalCode"] = meeting["postcode"]
    return address


def lab_json_ld(lab, request, now=None):
    """The lab's structured data, as a string ready for <script type="application/ld+json">."""
    url = lab.get_full_url(request)
    organisation_id = f"{url}#organization"
    first_meeting = lab.first_meeting()
    organisation = {
        "@type": "Organization",
        "@id": organisation_id,
        "name": lab.title,
        "url": url,
        "address": postal_address(lab, first_meeting),
        "location": {
            "@type": "Place",
            "geo": {"@type": "GeoCoordinates", "latitude": lab.lat, "longitude": lab.long},
        },
        "sameAs": [
            link.value["url"]
            for link in lab.links
            if link.value.get("kind") in PROFILE_KINDS and link.value.get("url")
        ],
        "memberOf": {"@type": "Organization", "name": "Code for Germany"},
    }
    if lab.intro:
        organisation["description"] = lab.intro
    if lab.founding_year:
        organisation["foundingDate"] = str(lab.founding_year)
    graph = [organisation]
    occurrence = lab.next_meeting(now=now)
    if occurrence is not None:
        meeting = lab.meetings[occurrence.meeting_index].value if not occurrence.extra else None
        event = {
            "@type": "Event",
            "name": _("%(lab)s: meeting") % {"lab": lab.title},
            "startDate": occurrence.start.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "isAccessibleForFree": True,
            "organizer": {"@id": organisation_id},
            "url": url,
            "location": {
                "@type": "Place",
                "name": occurrence.place or lab.city,
                "address": postal_address(lab, meeting)
                if meeting
                else (occurrence.address or lab.city),
            },
        }
        if occurrence.end:
            event["endDate"] = occurrence.end.isoformat()
        if occurrence.note:
            event["description"] = occurrence.note
        graph.append(event)
    return dumps_for_script({"@context": "https://schema.org", "@graph": graph})
