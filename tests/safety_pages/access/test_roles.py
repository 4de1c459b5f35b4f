"""Site-wide roles: groups with rights on the intranet's page tree and collections, safe to set up again."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Site, Workflow, WorkflowPage

from safety_pages.access import roles

pytestmark = pytest.mark.django_db


def _rights():
    return (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
        WorkflowPage.objects.count(),
    )


def test_setup_roles_twice_changes_nothing(demo):
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    before = _rights()
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    assert _rights() == before


def test_groups_get_rights_on_the_home_subtree_and_the_root_collection(demo):
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    home = Site.objects.get(is_default_site=True).root_page
    editors = Group.objects.get(name=roles.EDITORS)
    reviewers = Group.objects.get(name=roles.REVIEWERS)
    editor_rights = set(
        GroupPagePermission.objects.filter(group=editors, page=home).values_list("permission__codename", flat=True)
    )
    assert editor_rights == {"add_page", "change_page"}  # editors send for review, they do not publish
    assert "publish_page" in set(
        GroupPagePermission.objects.filter(group=reviewers, page=home).values_list("permission__codename", flat=True)
    )
    assert GroupCollectionPermission.objects.filter(
        group=editors, collection=Collection.get_first_root_node(), permission__codename="add_document"
    ).exists()
    employees = Group.objects.get(name=roles.EMPLOYEES)
    assert not employees.permissions.filter(codename="access_admin").exists()


def test_setup_roles_names_the_missing_site(db):
    Site.objects.all().delete()
    with pytest.raises(CommandError, match="standardsajt"):
        call_command("setup_roles")


def test_editor_can_edit_but_not_publish_and_employee_cannot_edit(demo):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    home = Site.objects.get(is_default_site=True).root_page
    section = home.get_children().first()
    assert section.permissions_for_user(users.get(username="redaktor")).can_edit()
    assert not section.permissions_for_user(users.get(username="redaktor")).can_publish()
    assert section.permissions_for_user(users.get(username="granskare")).can_publish()
    assert not section.permissions_for_user(users.get(username="medarbetare")).can_edit()


def test_setup_roles_lets_editors_keep_the_search_synonyms(demo):
    editors = Group.objects.get(name=roles.EDITORS)
    editors.permissions.remove(*editors.permissions.filter(content_type__app_label="search"))  # as before this right
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    wanted = {"add_synonym", "change_synonym", "delete_synonym", "view_synonym"}
    assert (
        set(editors.permissions.filter(content_type__app_label="search").values_list("codename", flat=True)) == wanted
    )
    employees = Group.objects.get(name=roles.EMPLOYEES)
    assert not employees.permissions.filter(content_type__app_label="search").exists()
    editor = get_user_model().objects.get(username="redaktor")
    assert editor.has_perm("search.change_synonym") and not editor.is_superuser


def test_setup_roles_lets_redaktorer_and_granskare_send_the_kallelse_but_not_medarbetare(demo):
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    users = get_user_model().objects

    assert users.get(username="redaktor").has_perm(roles.SEND_KALLELSE)
    assert users.get(username="granskare").has_perm(roles.SEND_KALLELSE)
    assert not users.get(username="medarbetare").has_perm(roles.SEND_KALLELSE)
    assert Group.objects.get(name=roles.EDITORS).permissions.filter(codename="send_kallelse").exists()
