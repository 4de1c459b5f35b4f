"""Local roles: a forum's reader group follows its memberships; its editors edit that forum only."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from safety_pages.access.roles import may_send_kallelse
from safety_pages.access.visibility import group_principal, page_principals, user_principals
from safety_pages.models import ForumLocalRoles
from safety_pages.models.readers import forum_reader_principals
from safety_pages.organisation.local_roles import local_roles_for, sync_forum_readers
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def forums(demo):
    mjolby = demo.get_children().get(slug="mjolby").specific
    return (
        # Forums of their own: the demo's forums already have members.
        builders.forum(mjolby, "testutskottet", "Testutskottet"),
        builders.forum(mjolby, "testradet", "Testrådet"),
    )


def _readers(forum_page):
    return set(local_roles_for(forum_page).reader_group.user_set.values_list("username", flat=True))


def test_a_new_membership_makes_the_member_a_reader_at_once(forums):
    committee, _ = forums
    builders.member(committee, builders.user("ny-ledamot"))
    assert "ny-ledamot" in _readers(committee)
    assert forum_reader_principals(committee) & user_principals(builders.user("ny-ledamot"))


def test_membership_that_starts_tomorrow_counts_from_tomorrow(forums):
    committee, _ = forums
    today = timezone.localdate()
    builders.member(committee, builders.user("blivande"), starts_on=today + datetime.timedelta(days=1))
    assert "blivande" not in _readers(committee)
    call_command("sync_forum_readers", date=str(today + datetime.timedelta(days=1)), stdout=open("/dev/null", "w"))
    assert "blivande" in _readers(committee)


def test_nightly_sync_removes_a_member_whose_membership_ended(forums):
    committee, _ = forums
    today = timezone.localdate()
    builders.member(committee, builders.user("avgaende"), ends_on=today)
    assert "avgaende" in _readers(committee)
    call_command("sync_forum_readers", date=str(today + datetime.timedelta(days=1)), stdout=open("/dev/null", "w"))
    assert "avgaende" not in _readers(committee)


def test_deleting_a_membership_removes_the_reader(forums):
    committee, _ = forums
    membership = builders.member(committee, builders.user("kortvarig"))
    membership.delete()
    assert "kortvarig" not in _readers(committee)


def test_a_person_without_account_is_no_reader_until_linked(forums):
    committee, _ = forums
    from safety_pages.models import Membership

    person = builders.person("Utan Konto")
    Membership.objects.create(forum=committee, person=person)
    assert _readers(committee) == set()
    person.user = builders.user("kopplad")
    person.save()
    assert _readers(committee) == {"kopplad"}


def test_sync_command_rejects_a_bad_date(db):
    with pytest.raises(CommandError, match="ogiltigt datum"):
        call_command("sync_forum_readers", date="i morgon")


def test_members_of_one_forum_do_not_read_anothers_group_restricted_page(forums):
    committee, council = forums
    builders.member(committee, builders.user("utskottsledamot"))
    builders.member(council, builders.user("radsledamot"))
    sync_forum_readers(committee)
    page = builders.instruction(council, "intern-instruktion")
    builders.restrict_to_groups(page, local_roles_for(council).reader_group)
    assert not page_principals(page) & user_principals(builders.user("utskottsledamot"))
    assert page_principals(page) & user_principals(builders.user("radsledamot"))


def _forum_editor(forum, username):
    """A user in a new group made the forum's editor group (local roles); fresh, as permissions are cached."""
    editors = Group.objects.create(name=f"Redaktörer {username}")
    builders.user(username).groups.add(editors)
    roles = local_roles_for(forum)
    roles.editor_group = editors
    roles.save()
    return get_user_model().objects.get(username=username)


def test_forum_editor_group_edits_its_forum_and_not_another(forums):
    committee, council = forums
    editor = _forum_editor(committee, "utskottsredaktor")
    assert committee.permissions_for_user(editor).can_edit()
    assert committee.permissions_for_user(editor).can_add_subpage()
    assert not council.permissions_for_user(editor).can_edit()
    assert not committee.permissions_for_user(editor).can_publish()


def test_forum_editor_group_sends_the_kallelse_of_its_own_meetings_only(forums):
    committee, council = forums
    editor = _forum_editor(committee, "utskottssekreterare")
    day = timezone.localdate() + datetime.timedelta(days=7)
    own = builders.record(committee, date=day, status="planerat", publish=False)
    other = builders.record(council, date=day, status="planerat", publish=False)

    assert may_send_kallelse(own, editor)
    assert not may_send_kallelse(other, editor)


def test_replacing_the_editor_group_takes_the_rights_from_the_old_one(forums):
    committee, _ = forums
    old, new = Group.objects.create(name="Gamla"), Group.objects.create(name="Nya")
    editor = builders.user("gammal-redaktor")
    editor.groups.add(old)
    roles = local_roles_for(committee)
    roles.editor_group = old
    roles.save()
    roles.editor_group = new
    roles.save()
    assert not committee.permissions_for_user(editor).can_edit()


def test_reader_principals_name_readers_editors_and_justering_group(forums):
    committee, _ = forums
    assert forum_reader_principals(committee) == frozenset()
    editors, reviewers = Group.objects.create(name="R"), Group.objects.create(name="J")
    sync_forum_readers(committee)
    ForumLocalRoles.objects.filter(forum=committee).update(editor_group=editors, reviewer_group=reviewers)
    roles = local_roles_for(committee)
    assert forum_reader_principals(committee) == {
        group_principal(roles.reader_group_id),
        group_principal(editors.pk),
        group_principal(reviewers.pk),
    }
