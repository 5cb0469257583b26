"""RSS 2.0 and Atom feeds of the news, for the whole network and per lab, one per language."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from labs.models import LabPage
from network.listing import belonging_to
from network.models.news import news_in

FEED_LENGTH = 30


@dataclass
class FeedSubject:
    """What one feed request is about: a language and, for a lab's feed, the lab."""

    locale: Locale
    lab: LabPage | None = None


class NewsFeed(Feed):
    """/feeds/<language>/news.rss and /feeds/<language>/labs/<lab>/news.rss.

    An English feed lists the English posts and, marked as German, the posts not translated.
    Lab feeds are addressed by the lab's German slug, the same in every language.
    """

    def __call__(self, request, *args, **kwargs):
        with translation.override(kwargs["language"]):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request, language, lab_slug=None):
        if language not in dict(settings.LANGUAGES):
            raise Http404  # checked before any query: a hostile path never reaches the database
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None:
            raise Http404
        if lab_slug is None:
            return FeedSubject(locale)
        lab = (
            LabPage.objects.live()
            .filter(slug=lab_slug, locale__language_code=settings.LANGUAGE_CODE)
            .first()
        )
        if lab is None:
            raise Http404
        return FeedSubject(locale, lab.get_translation_or_none(locale) or lab)

    def title(self, subject):
        if subject.lab is not None:
            return _("%(lab)s – news") % {"lab": subject.lab.title}
        return _("Code for Germany – news")

    def link(self, subject):
        if subject.lab is not None:
            return subject.lab.get_url()
        language = subject.locale.language_code
        return "/" if language == settings.LANGUAGE_CODE else f"/{language}/"

    def description(self, subject):
        return _("News from the Code for Germany network and its OK Labs.")

    def items(self, subject):
        posts = news_in(subject.locale)
        if subject.lab is not None:
            posts = posts.filter(belonging_to([subject.lab])).distinct()
        return posts[:FEED_LENGTH]

    def item_title(self, post):
        if post.locale.language_code != translation.get_language():
            return _("%(title)s (in German)") % {"title": post.title}
        return post.title

    def item_description(self, post):
        return post.excerpt

    def item_link(self, post):
        return post.get_url()

    def item_author_name(self, post):
        return post.author or None

    def item_pubdate(self, post):
        noon = datetime.datetime.combine(post.date, datetime.time(12))
        return timezone.make_aware(noon)

    def item_updateddate(self, post):
        return post.last_published_at

    def item_categories(self, post):
        return [post.get_category_display()]


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, subject):
        return self.description(subject)
