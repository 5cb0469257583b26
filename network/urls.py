"""Feeds: outside the language prefix, the language is part of the path."""

from django.urls import path

from network.feeds import NewsAtomFeed, NewsFeed

urlpatterns = [
    path("<str:language>/news.rss", NewsFeed(), name="news_rss"),
    path("<str:language>/news.atom", NewsAtomFeed(), name="news_atom"),
    path("<str:language>/labs/<slug:lab_slug>/news.rss", NewsFeed(), name="lab_news_rss"),
    path("<str:language>/labs/<slug:lab_slug>/news.atom", NewsAtomFeed(), name="lab_news_atom"),
]
