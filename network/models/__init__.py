"""Projects, news and events, and the topic vocabulary they share."""

from network.models.events import EventIndexPage, EventPage, EventStatus
from network.models.news import NewsCategory, NewsIndexPage, NewsPage
from network.models.projects import ProjectIndexPage, ProjectPage
from network.models.topics import Topic

__all__ = [
    "EventIndexPage",
    "EventPage",
    "EventStatus",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "ProjectIndexPage",
    "ProjectPage",
    "Topic",
]
