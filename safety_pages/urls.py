"""Front-end URLs of the safety pages that are not pages in the tree (feeds, extracts, tags)."""

from django.urls import path

from safety_pages.calendars import feeds
from safety_pages.calendars import views as calendar_views
from safety_pages.following import views as following
from safety_pages.frontend import people, views
from safety_pages.meetings import kallelse
from safety_pages.meetings import views as case_views

app_name = "safety_pages"

urlpatterns: list = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("etiketter/<str:slug>/", views.tag_index, name="tag"),
    path("arenden/<slug:section>/<str:number>/", case_views.case_detail, name="case"),
    # The signed förhinder link of a kallelse e-mail (meetings/kallelse.py): one meeting, one person.
    path("forhinder/<str:token>/", kallelse.absence, name="absence"),
    # Bevakningar (following/): the button's POST, Mina bevakningar, and the signed link of their e-mails.
    path("bevakningar/", following.my_follows, name="follows"),
    path("bevakningar/folj/", following.follow, name="follow"),
    path("bevakningar/avsluta/<str:token>/", following.unsubscribe, name="unsubscribe"),
    path("personer/<str:key>/", people.person_detail, name="person"),
    path("kalender/<slug:section>.ics", feeds.section_calendar, name="section_calendar"),
    # Personal subscription addresses (three segments, so they never match the forum calendar above).
    path(
        "kalender/prenumeration/<slug:token>/<slug:section>.ics",
        calendar_views.subscribed_section_calendar,
        name="subscribed_section_calendar",
    ),
    path(
        "kalender/prenumeration/<slug:token>/<slug:section>/<slug:forum>.ics",
        calendar_views.subscribed_forum_calendar,
        name="subscribed_forum_calendar",
    ),
    path("kalender/prenumeration/fornya/", calendar_views.renew_subscription, name="renew_calendar_subscription"),
    path("kalender/<slug:section>/<slug:forum>.ics", feeds.forum_calendar, name="forum_calendar"),
    path("protokoll/<slug:section>.atom", feeds.section_records_feed, name="section_records_feed"),
    path("protokoll/<slug:section>/<slug:forum>.atom", feeds.adjusted_records_feed, name="adjusted_records_feed"),
]
