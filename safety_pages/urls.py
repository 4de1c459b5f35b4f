"""Front-end URLs of the safety pages that are not pages in the tree (feeds, extracts, tags)."""

from django.urls import path

from . import views

app_name = "safety_pages"

urlpatterns: list = [
    path("etiketter/<str:slug>/", views.tag_index, name="tag"),
]
