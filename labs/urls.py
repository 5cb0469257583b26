"""Calendar feeds and the labs API: outside the language prefix, the language is in the address."""

from django.urls import path

from labs import api, calendar

calendar_patterns = [
    path("<str:language>/labs.ics", calendar.network_calendar, name="labs_calendar"),
    path("<str:language>/labs/<slug:lab_slug>.ics", calendar.lab_calendar, name="lab_calendar"),
]

api_patterns = [
    path("labs.json", api.labs_json, name="api_labs"),
    path("projects.json", api.projects_json, name="api_projects"),
    path("schemas/<str:name>", api.schema_json, name="api_schema"),
]
