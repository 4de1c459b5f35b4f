"""The frame of the demo: the start page, one section per municipality, the Wagtail site."""

import json

from wagtail.models import Page, Site

from intranet.demo.pages import root_page, upsert_child
from safety_pages.models import HomePage, SectionPage


def _remove_wagtail_placeholder():
    """Wagtail's first migration leaves a plain "Welcome" page; the demo home takes its place."""
    for page in root_page().get_children():
        if page.specific_class is Page and not page.get_children().exists():
            Site.objects.filter(root_page=page).delete()
            page.delete()


def load(context):
    data = json.loads((context.fixtures_dir / "site.json").read_text(encoding="utf-8"))
    _remove_wagtail_placeholder()
    home, _ = upsert_child(root_page(), HomePage, data["home"]["slug"], **data["home"]["fields"])
    context.home = home
    for section in data["sections"]:
        page, _ = upsert_child(home, SectionPage, section["slug"], **section["fields"])
        context.sections[section["slug"]] = page

    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    if site.pk is None or site.root_page_id != home.pk:
        site.hostname = site.hostname or "localhost"
        site.port = site.port or 80
        site.root_page = home
        site.site_name = "Trygghetsportalen"
        site.save()
