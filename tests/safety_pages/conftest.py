"""Helpers for the forum tests: the demo's forums by slug, and the admin edit form as an editor would send it."""

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from safety_pages.models import ForumPage

UTSKOTT = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"


def forum(section, slug):
    return ForumPage.objects.get(url_path=f"/trygghetsportalen/{section}/organisation/{slug}/")


@pytest.fixture
def utskott(demo):
    return forum("mjolby", "trygghets-och-sakerhetsutskottet")


@pytest.fixture
def admin_edit(client_for):
    """Return (client, data): the forum's edit form as the admin finds it, ready to change and post."""

    def open_form(page: Page):
        client = client_for("admin")
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        specific = page.specific
        # Multi-selects with nothing chosen would be read as "first option": set them from the page itself.
        for name in ("reports_to", "gives_assignments_to", "replaces"):
            data.setlist(name, [str(pk) for pk in getattr(specific, name).values_list("pk", flat=True)])
        return client, data

    return open_form


def add_membership(data, **fields):
    """Append one inline membership row to posted edit-form data."""
    index = int(data["memberships-TOTAL_FORMS"])
    row = {
        "person": "",
        "organisation": "",
        "role": "ledamot",
        "substitute_order": "",
        "starts_on": "",
        "ends_on": "",
        "note": "",
        "ORDER": str(index + 1),
        "DELETE": "",
        "id": "",
    }
    row.update({key: str(value) for key, value in fields.items()})
    for key, value in row.items():
        data[f"memberships-{index}-{key}"] = value
    data["memberships-TOTAL_FORMS"] = str(index + 1)
    return data


# --- a small organisation without the demo (fast, and sized by the test) --------------------------


@pytest.fixture
def org(db):
    """A home page, one section and its organisation page, served as the default site."""
    from wagtail.models import Site

    from safety_pages.models import Case, ForumIndexPage, HomePage, MeetingRecordPage, SectionPage

    # Cases point at their municipality's section (protected) and paragraphs at their case: records first.
    for record in MeetingRecordPage.objects.all():
        record.delete()
    Case.objects.all().delete()
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
    index = section.add_child(
        instance=ForumIndexPage(title="Organisation för trygghet och säkerhet", slug="organisation")
    )
    return index


def make_forum(index, slug, title=None, **fields):
    fields.setdefault("kind", "rad")
    fields.setdefault("level", "strategisk")
    page = index.add_child(instance=ForumPage(title=title or slug.replace("-", " ").capitalize(), slug=slug, **fields))
    page.save_revision().publish()
    return ForumPage.objects.get(pk=page.pk)


def make_instruction(forum_page, slug, **fields):
    import datetime

    from safety_pages.models import Decision, InstructionPage

    if fields.get("status") == "antagen" and "adopted_by" not in fields:
        fields["adopted_by"] = Decision.objects.create(body="Kommunstyrelsen", date=datetime.date(2020, 1, 1))
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    page = forum_page.add_child(instance=InstructionPage(slug=slug, **fields))
    page.save_revision().publish()
    return InstructionPage.objects.get(pk=page.pk)


@pytest.fixture
def employee(django_user_model):
    from django.contrib.auth.models import Group

    from safety_pages.access import roles

    user = django_user_model.objects.create_user("anstalld", password="x")
    user.groups.add(Group.objects.get_or_create(name=roles.EMPLOYEES)[0])
    return user


@pytest.fixture
def employee_client(client, employee):
    client.force_login(employee)
    return client


def restrict_to_new_group(page, name="Slutna gruppen"):
    """Close a page to everyone outside a new group (Wagtail view restriction)."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    group = Group.objects.create(name=name)
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return group
