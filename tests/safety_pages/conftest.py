"""Fixtures of the safety_pages tests: a small organisation without the demo, and a logged-in employee."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from safety_pages.access import roles
from safety_pages.models import Case, ForumIndexPage, HomePage, MeetingRecordPage, SectionPage
from tests.builders import ORGANISATION_TITLE, restore_wagtail_roots


@pytest.fixture
def org(db):
    """A home page, one section ("exempel") and its organisation page, served as the default site: fast, and
    sized by the test."""
    # Cases point at their municipality's section (protected) and paragraphs at their case: records first.
    for record in MeetingRecordPage.objects.all():
        record.delete()
    Case.objects.all().delete()
    restore_wagtail_roots()  # after a transactional test's flush
    root = Page.get_first_root_node()
    for child in root.get_children():
        Site.objects.filter(root_page=child).delete()
        child.delete()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Trygghetsportalen", slug="start"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "T"}
    )
    section = home.add_child(instance=SectionPage(title="Exempel kommun", slug="exempel", municipality="Exempel"))
    return section.add_child(instance=ForumIndexPage(title=ORGANISATION_TITLE, slug="organisation"))


@pytest.fixture
def employee(django_user_model):
    user = django_user_model.objects.create_user("anstalld", password="x")
    user.groups.add(Group.objects.get_or_create(name=roles.EMPLOYEES)[0])
    return user


@pytest.fixture
def employee_client(client, employee):
    client.force_login(employee)
    return client
