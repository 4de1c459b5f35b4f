"""Who reads a forum's closed content: its members, its local roles and the editors.

A meeting record that is not yet justerat is read only by these (`MeetingRecordPage.minutes_closed`).
The rule is written once here in both of its forms: for one page (`closed_record_principals`, which
visibility and search ask through the page's `extra_read_principals()`) and for a queryset of many
(`without_closed_records`, which `visibility.visible()` applies through the page type's declared
`narrow_visible`), so the two can never disagree.
"""

from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone

from safety_pages.access import roles, visibility
from safety_pages.models.choices import MeetingStatus
from safety_pages.models.forums import ForumPage
from safety_pages.models.local_roles import ForumLocalRoles
from safety_pages.models.memberships import Membership

EDITOR_GROUPS = (roles.EDITORS, roles.REVIEWERS)


def active_membership_q(prefix="", on=None):
    on = on or timezone.localdate()
    return (Q(**{f"{prefix}starts_on__isnull": True}) | Q(**{f"{prefix}starts_on__lte": on})) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def editor_principals(request_or_user=None):
    """The editors' and reviewers' groups as principals (cached on the request when one is given: every listing
    of a request asks)."""
    request = request_or_user if hasattr(request_or_user, "user") else None
    if request is not None and hasattr(request, "_editor_principals"):
        return request._editor_principals
    principals = frozenset(
        visibility.group_principal(pk)
        for pk in Group.objects.filter(name__in=EDITOR_GROUPS).values_list("pk", flat=True)
    )
    if request is not None:
        request._editor_principals = principals
    return principals


def forum_reader_principals(forum):
    """The forum's local roles: its reader group (kept in step with its active memberships by
    `organisation.local_roles.sync_forum_readers`), its editor group and its justering group.
    Empty when the forum has no local roles yet."""
    local_roles = ForumLocalRoles.objects.filter(forum_id=getattr(forum, "pk", forum)).first()
    if local_roles is None:
        return visibility.NOBODY
    return frozenset(visibility.group_principal(group_id) for group_id in local_roles.group_ids())


def closed_record_principals(forum):
    """The forum's members with a user account (active seats today), its local roles and the editors.

    The local roles (reader, editor and justering groups) matter beside the
    members: a justerargrupp need not hold seats, and the reader group is what
    the nightly sync keeps in step when a membership starts or ends on a date.
    """
    if forum is None:
        return editor_principals()
    return closed_record_principals_by_forum([forum])[forum.pk]


def closed_record_principals_by_forum(forums):
    """`closed_record_principals` of many forums at once, {forum id: principals}, in three queries whatever their
    number: the search indexer's batches ask it for every forum whose records they hold (a query per forum and
    batch cost a rebuild more than the records' paragraphs)."""
    found = {forum.pk: set() for forum in forums}
    seats = Membership.objects.filter(active_membership_q(), forum_id__in=list(found), person__user__isnull=False)
    for forum_id, user_id in seats.values_list("forum_id", "person__user_id").distinct():
        found[forum_id].add(visibility.user_principal(user_id))
    for local_roles in ForumLocalRoles.objects.filter(forum_id__in=list(found)):
        found[local_roles.forum_id] |= {visibility.group_principal(group_id) for group_id in local_roles.group_ids()}
    editors = editor_principals()
    return {forum_id: frozenset(principals) | editors for forum_id, principals in found.items()}


def member_forum_paths(request_or_user):
    """Tree paths of the forums where this user holds an active seat or a local role (cached on the request)."""
    request = request_or_user if hasattr(request_or_user, "user") else None
    if request is not None and hasattr(request, "_member_forum_paths"):
        return request._member_forum_paths
    user = getattr(request_or_user, "user", request_or_user)
    paths = []
    if user is not None and user.is_authenticated:
        paths = list(
            ForumPage.objects.filter(active_membership_q("memberships__"), memberships__person__user=user).values_list(
                "path", flat=True
            )
        )
        # The forums whose local roles (reader, editor, justering group) include one of the user's groups.
        group_ids = visibility.principal_group_ids(visibility.user_principals(request_or_user))
        if group_ids:
            local_roles = ForumLocalRoles.objects.naming_any_of(group_ids)
            paths += list(ForumPage.objects.filter(local_roles__in=local_roles).values_list("path", flat=True))
    if request is not None:
        request._member_forum_paths = paths
    return paths


def without_closed_records(record_model, queryset, request_or_user):
    """`queryset` less the records of `record_model` not yet justerat, unless the user is a member or an editor:
    `closed_record_principals` as one subquery, for listings and feeds."""
    if visibility.user_principals(request_or_user) & editor_principals(request_or_user):
        return queryset
    closed = record_model.objects.filter(status=MeetingStatus.HELD, adjusted_on__isnull=True)
    for forum_path in member_forum_paths(request_or_user):
        closed = closed.exclude(path__startswith=forum_path)
    return queryset.exclude(pk__in=closed.values("pk"))
