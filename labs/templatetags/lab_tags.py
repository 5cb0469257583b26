"""Template tags for labs outside the lab index (the home page), the labs map, calendar links."""

from django import template
from django.utils.translation import get_language

from home.lookups import first_live_url
from home.templatetags.site_tags import request_locale
from labs.map import FONT_SIZE, MapLab, build_map
from labs.models import LabIndexPage, LabPage

register = template.Library()


def home_labs(request):
    """The active labs of the visitor's language, looked up once per request."""
    if not hasattr(request, "_home_labs"):
        labs = LabIndexPage.labs_in(request_locale(request))
        request._home_labs = [lab for lab in labs if not lab.inactive]
    return request._home_labs


@register.inclusion_tag("includes/lab_cards.html", takes_context=True)
def lab_cards(context):
    """The active labs of the visitor's language, as listed by the lab index."""
    request = context["request"]
    return {
        "request": request,
        "labs": home_labs(request),
        "lab_index_url": first_live_url(LabIndexPage, request),
    }


@register.inclusion_tag("includes/labs_map.svg.html", takes_context=True)
def labs_map(context, *lab_lists, chosen_bundesland="", list_id="lab-list"):
    """The map of the labs given (by default the home page's active labs).

    The list of labs on the same page (element `list_id`) is the map's text alternative.
    """
    request = context["request"]
    labs = [lab for labs in lab_lists for lab in labs] if lab_lists else home_labs(request)
    items = tuple(
        MapLab(
            key=str(lab.translation_key),
            name=lab.title,
            label=lab.city,
            url=lab.get_url(request),
            lat=lab.lat,
            long=lab.long,
            inactive=lab.inactive,
        )
        for lab in labs
    )
    return {
        "request": request,
        "map": build_map(items) if items else None,
        "chosen_bundesland": chosen_bundesland,
        "list_id": list_id,
        "has_inactive": any(item.inactive for item in items),
        "font_size": FONT_SIZE,
    }


@register.simple_tag(takes_context=True)
def calendar_url(context, lab=None):
    """The calendar feed of `lab` (or of the whole network) in the page's language."""
    language = get_language()
    if isinstance(lab, LabPage):
        return f"/calendar/{language}/labs/{lab.source_slug()}.ics"
    return f"/calendar/{language}/labs.ics"


@register.inclusion_tag("includes/visitor_head.html", takes_context=True)
def visitor_head(context, lab=None, api=False):
    """<head> links of the visitor features: their stylesheet, calendar feeds, the labs JSON."""
    language = get_language()
    return {
        "lab": lab,
        "lab_calendar": calendar_url(context, lab) if lab is not None else "",
        "network_calendar": calendar_url(context),
        "api_url": f"/api/v1/labs.json?language={language}" if api else "",
    }
