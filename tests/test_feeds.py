"""News feeds: RSS and Atom, per language and per lab, without drafts or future posts."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from tests.conftest import translate
from tests.factories import NewsIndexPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(home_page, flensburg, english):
    news = NewsIndexPageFactory(parent=home_page)
    today = timezone.localdate()
    lab_post = NewsPageFactory(
        parent=flensburg, title="Hackday in Flensburg", date=today, excerpt="Ein Tag voller Code."
    )
    network_post = NewsPageFactory(
        parent=news, title="Newsletter", date=today - datetime.timedelta(days=1)
    )
    NewsPageFactory(parent=news, title="Zukunft", date=today + datetime.timedelta(days=2))
    draft = NewsPageFactory(parent=news, title="Entwurf", date=today)
    draft.unpublish()
    home_en = translate(home_page, english)
    translate(news, english, slug="news")
    translate(flensburg.get_parent().specific, english)
    translate(flensburg, english)
    translate(lab_post, english, title="Hackday in Flensburg (EN)", excerpt="A day of code.")
    return {"home_en": home_en, "network_post": network_post}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


def test_german_rss_lists_published_posts_newest_first(client, posts):
    response, feed = parse(client, "/feeds/de/news.rss")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert feed.feed.language == "de"
    assert feed.feed.title == "Code for Germany – Neuigkeiten"
    assert [entry.title for entry in feed.entries] == ["Hackday in Flensburg", "Newsletter"]
    assert feed.entries[0].link.startswith("http://testserver/ok-labs/flensburg/")
    assert feed.entries[0].summary == "Ein Tag voller Code."


def test_english_atom_lists_english_posts_and_marks_untranslated_ones(client, posts):
    response, feed = parse(client, "/feeds/en/news.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert feed.feed.title == "Code for Germany – news"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Hackday in Flensburg (EN)", "Newsletter (in German)"]
    assert feed.entries[0].link.startswith("http://testserver/en/")
    assert "/en/" not in feed.entries[1].link


def test_lab_feed_holds_only_the_labs_posts(client, posts):
    _response, german = parse(client, "/feeds/de/labs/flensburg/news.rss")
    assert [entry.title for entry in german.entries] == ["Hackday in Flensburg"]
    assert german.feed.title == "OK Lab Flensburg – Neuigkeiten"
    _response, english = parse(client, "/feeds/en/labs/flensburg/news.atom")
    assert [entry.title for entry in english.entries] == ["Hackday in Flensburg (EN)"]


@pytest.mark.parametrize(
    "url",
    ["/feeds/fr/news.rss", "/feeds/de/labs/atlantis/news.rss", "/feeds/de/labs/%3Cb%3E/news.rss"],
)
def test_unknown_feed_is_a_404(client, posts, url):
    assert client.get(url).status_code == 404


def test_pages_link_their_feeds(client, posts, flensburg):
    head = client.get(flensburg.url).content.decode().split("</head>")[0]
    assert '<link rel="alternate" type="application/rss+xml"' in head
    assert 'href="/feeds/de/news.rss"' in head
    assert 'href="/feeds/de/labs/flensburg/news.atom"' in head
    english_head = client.get("/en/").content.decode().split("</head>")[0]
    assert 'href="/feeds/en/news.rss"' in english_head
