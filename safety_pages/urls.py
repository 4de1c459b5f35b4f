"""Front-end URLs of the safety pages that are not pages in the tree (feeds, extracts, tags)."""

from django.urls import path

from . import case_views, feeds, views

app_name = "safety_pages"

urlpatterns: list = [
    path("etiketter/<str:slug>/", views.tag_index, name="tag"),
    path("arenden/<slug:section>/<str:number>/", case_views.case_detail, name="case"),
    path("kalender/<slug:section>.ics", feeds.section_calendar, name="section_calendar"),
    path("kalender/<slug:section>/<slug:forum>.ics", feeds.forum_calendar, name="forum_calendar"),
    path("protokoll/<slug:section>.atom", feeds.section_records_feed, name="section_records_feed"),
    path("protokoll/<slug:section>/<slug:forum>.atom", feeds.adjusted_records_feed, name="adjusted_records_feed"),
]
