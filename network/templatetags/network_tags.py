"""Template tags that show projects, news and events on lab pages, the home page and in <head>."""

from django import template
from django.utils.translation import get_language

from home.lookups import first_live_url
from labs.models import LabPage
from network.listing import belonging_to
from network.models import ProjectIndexPage
from network.models.events import events_in, upcoming
from network.models.news import news_in
from network.models.projects import projects_in

register = template.Library()

LAB_PROJECTS_SHOWN = 6
LAB_NEWS_SHOWN = 3
LAB_EVENTS_SHOWN = 3
HOME_SHOWCASE_SHOWN = 3


@register.inclusion_tag("includes/lab_activity.html", takes_context=True)
def lab_activity(context, lab):
    """The lab's projects (showcase first), latest news and upcoming events, in its language."""
    of_this_lab = belonging_to([lab])
    projects = (
        projects_in(lab.locale)
        .filter(of_this_lab)
        .distinct()
        .order_by("-showcase", "-start_date", "title")
    )
    news = news_in(lab.locale).filter(of_this_lab).distinct()
    events = upcoming(events_in(lab.locale).filter(of_this_lab).distinct())
    return {
        "request": context["request"],
        "page": context.get("page"),
        "lab": lab,
        "projects": list(projects[:LAB_PROJECTS_SHOWN]),
        "news": list(news[:LAB_NEWS_SHOWN]),
        "events": list(events[:LAB_EVENTS_SHOWN]),
        "project_index_url": first_live_url(ProjectIndexPage, context["request"]),
        "lab_slug": lab.source_slug(),
    }


@register.inclusion_tag("includes/showcase_projects.html", takes_context=True)
def showcase_projects(context):
    page = context.get("page")
    locale = page.locale if page is not None else None
    if locale is None:
        return {"projects": []}
    projects = projects_in(locale).filter(showcase=True).order_by("-first_published_at")
    return {
        "request": context["request"],
        "page": page,
        "projects": list(projects[:HOME_SHOWCASE_SHOWN]),
        "project_index_url": first_live_url(ProjectIndexPage, context["request"]),
    }


@register.inclusion_tag("includes/feed_links.html", takes_context=True)
def feed_links(context):
    """<link rel="alternate"> to the news feeds of this language (and of the lab on lab pages)."""
    page = context.get("page")
    language = get_language()
    feeds = [{"path": f"/feeds/{language}/news", "title": "Code for Germany"}]
    if isinstance(page, LabPage):
        feeds.append(
            {"path": f"/feeds/{language}/labs/{page.source_slug()}/news", "title": page.title}
        )
    return {"feeds": feeds}
