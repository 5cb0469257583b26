"""Template tags that show labs on pages outside the lab index (the home page)."""

from django import template

from home.templatetags.site_tags import request_locale
from labs.models import LabIndexPage

register = template.Library()


@register.inclusion_tag("includes/lab_cards.html", takes_context=True)
def lab_cards(context):
    """The active labs of the visitor's language, as listed by the lab index."""
    index = LabIndexPage.objects.live().filter(locale=request_locale(context["request"])).first()
    if index is None:
        index = LabIndexPage.objects.live().filter(locale__language_code="de").first()
    labs = [lab for lab in index.labs() if not lab.inactive] if index else []
    return {"request": context["request"], "labs": labs, "lab_index": index}
