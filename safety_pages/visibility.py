"""Who may see which page: one rule for every channel that shows content.

Pages, listings, feeds, the diagram and search all ask this module, so a page
closed to someone is closed to them everywhere.
"""

from wagtail.models import PageViewRestriction


def _user_of(request_or_user):
    return getattr(request_or_user, "user", request_or_user)


def hidden_paths(request_or_user):
    """Tree paths of the subtrees this user may not view (cached per request)."""
    request = request_or_user if hasattr(request_or_user, "user") else None
    if request is not None and hasattr(request, "_hidden_page_paths"):
        return request._hidden_page_paths
    user = _user_of(request_or_user)
    paths = []
    if not (user and user.is_active and user.is_superuser):
        group_ids = set(user.groups.values_list("id", flat=True)) if user and user.is_authenticated else set()
        restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
        for restriction in restrictions:
            if restriction.restriction_type == PageViewRestriction.LOGIN and user and user.is_authenticated:
                continue
            if restriction.restriction_type == PageViewRestriction.GROUPS and group_ids & {
                group.id for group in restriction.groups.all()
            }:
                continue
            # Password-protected pages never appear in listings: the password is per session.
            paths.append(restriction.page.path)
    if request is not None:
        request._hidden_page_paths = paths
    return paths


def visible(queryset, request_or_user):
    """Narrow a page queryset to the live pages this user may view."""
    queryset = queryset.live()
    for path in hidden_paths(request_or_user):
        queryset = queryset.exclude(path__startswith=path)
    return queryset
