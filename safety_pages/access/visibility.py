"""Who may see which page: one rule for every channel that shows content.

Pages, listings, feeds, the diagram and search all ask this module, so a page
closed to someone is closed to them everywhere.

Access is expressed as *principals*: strings naming who may read.
A user holds "authenticated", "user:<id>" and "group:<id>" for each group; a
page is readable by the holders of any of its principals. A page's principals
come from Wagtail's view restrictions on it and its ancestors, narrowed by the
page type's own rule (`extra_read_principals()`, e.g. a record not yet
justerat is readable only by its forum's members and editors), and listed
by the page type's `narrow_visible` queryset rule. Search stores
these principals with each indexed item (as the item's reader set) and filters
with one terms clause, instead of one clause per restricted page.
"""

import contextlib
import contextvars
import functools

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.permissions import policy_registry

AUTHENTICATED = "authenticated"
NOBODY: frozenset = frozenset()


def user_principal(user_id):
    return f"user:{user_id}"


def group_principal(group_id):
    return f"group:{group_id}"


def principal_group_ids(principals):
    """The ids of the groups among these principals (the inverse of group_principal)."""
    return {int(p.split(":", 1)[1]) for p in principals if p.startswith("group:")}


def _user_of(request_or_user):
    return getattr(request_or_user, "user", request_or_user)


def is_unrestricted(user):
    return bool(user and user.is_active and user.is_superuser)


def user_principals(request_or_user):
    """The principals a user holds (cached on the request when one is given)."""
    request = request_or_user if hasattr(request_or_user, "user") else None
    if request is not None and hasattr(request, "_read_principals"):
        return request._read_principals
    user = _user_of(request_or_user)
    if not (user and user.is_authenticated and user.is_active):
        principals = frozenset()
    else:
        principals = frozenset(
            {AUTHENTICATED, user_principal(user.pk)}
            | {group_principal(gid) for gid in user.groups.values_list("id", flat=True)}
        )
    if request is not None:
        request._read_principals = principals
    return principals


def _restriction_principals(restriction):
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return frozenset({AUTHENTICATED})
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        return frozenset(group_principal(group.pk) for group in restriction.groups.all())
    # A password is per browser session: such pages never appear in listings or search.
    return NOBODY


def both(first, second):
    """Principals that meet two restrictions. Every group member is logged in, so "authenticated"
    in one set admits the other set's groups and users (a plain intersection would close the page to all)."""
    met = first & second
    if AUTHENTICATED in first:
        met |= second - {AUTHENTICATED}
    if AUTHENTICATED in second:
        met |= first - {AUTHENTICATED}
    return frozenset(met)


# Answers of rules that depend on a forum alone, kept while `remembering()` (None: not kept).
_remembered = contextvars.ContextVar("remembered_principals", default=None)


@contextlib.contextmanager
def remembering():
    """Within this block a forum's rule is computed once, however many of its pages ask (the search
    indexer's batches, where a forum's records are indexed together in one transaction)."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def remember(answers):
    """Keep these {key: answer}, read for many forums at once, while `remembering()`; outside it, nothing."""
    kept = _remembered.get()
    if kept is not None:
        for key, answer in answers.items():
            kept.setdefault(key, answer)


def remembered(key, compute):
    """compute(), or its earlier answer for `key` while `remembering()`."""
    kept = _remembered.get()
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def _own_restrictions(page):
    """Wagtail's view restrictions of one page (its own and its ancestors'), with their groups."""
    return page.get_view_restrictions().prefetch_related("groups")


def page_principals(page, restrictions=None):
    """Who may read `page`, as a frozenset of principals (empty: superusers only).

    Several restrictions (on ancestors and the page) must all be met; their
    sets are intersected, which may close a page to someone who passes each
    restriction through a different group, but never opens it too widely.
    `restrictions`: those of `page.get_view_restrictions()`, with their groups,
    when read already for many pages at once (`view_restrictions_of`).
    """
    if restrictions is None:
        restrictions = _own_restrictions(page)
    principals = frozenset({AUTHENTICATED})
    for restriction in restrictions:
        principals = both(principals, _restriction_principals(restriction))
    specific = page.specific
    extra = getattr(specific, "extra_read_principals", None)
    if extra is not None:
        narrowed = extra()
        if narrowed is not None:
            # The page type's own rule replaces "any employee" but stays inside the restrictions.
            principals = (
                (principals - {AUTHENTICATED}) | frozenset(narrowed)
                if AUTHENTICATED in principals
                else (principals & frozenset(narrowed))
            )
    return principals


def view_restrictions_of(pages, ancestors_of):
    """{page id: the view restrictions that apply to it} for many pages in two queries, as
    `Page.get_view_restrictions()` gives them one page at a time; `ancestors_of(page)` lists a page's
    ancestors and the page itself, already read. An alias reads its source page's restrictions, so a
    page with an alias on its path is left to Wagtail's own method."""
    checked = {}
    for page in pages:
        path = ancestors_of(page)
        if not any(p.alias_of_id for p in path):
            checked[page.pk] = {p.pk for p in path}
    restrictions = PageViewRestriction.objects.filter(page_id__in=set().union(*checked.values())).prefetch_related(
        "groups"
    )
    by_page = {}
    for restriction in restrictions:
        by_page.setdefault(restriction.page_id, []).append(restriction)
    return {
        page.pk: (
            [r for pk in checked[page.pk] for r in by_page.get(pk, ())]
            if page.pk in checked
            else list(_own_restrictions(page))
        )
        for page in pages
    }


def can_view(request_or_user, page):
    """Whether this user may read this live page."""
    if not page.live:
        return False
    user = _user_of(request_or_user)
    if is_unrestricted(user):
        return True
    return bool(user_principals(request_or_user) & page_principals(page))


def hidden_restrictions(request_or_user, held=None):
    """The view restrictions this user (or a holder of the principals `held`) does not meet, as a queryset:
    their pages' subtrees are closed to them.

    The SQL form of `_restriction_principals`: a login restriction is met by any employee, a group restriction
    by a member of one of its groups, a password restriction never (it is per browser session). Each restriction
    is judged on its own row (its groups through their unique index), never by first listing the restrictions
    met: that list was a scan of every restriction in each statement that asked.
    """
    if held is None:
        if is_unrestricted(_user_of(request_or_user)):
            return PageViewRestriction.objects.none()
        held = user_principals(request_or_user)
    hidden = PageViewRestriction.objects.all()
    if AUTHENTICATED in held:
        hidden = hidden.exclude(restriction_type=PageViewRestriction.LOGIN)
    group_ids = principal_group_ids(held)
    if group_ids:
        memberships = PageViewRestriction.groups.through.objects.filter(
            pageviewrestriction=OuterRef("pk"), group_id__in=group_ids
        )
        hidden = hidden.exclude(Q(restriction_type=PageViewRestriction.GROUPS) & Exists(memberships))
    return hidden


def _restricted_depths(request_or_user):
    """The tree depths at which pages with children carry view restrictions (a handful; read once per request).

    A restricted page without children closes only itself, which its own restriction (by its id) already does:
    leaving out the restricted leaves (most restrictions: a document for one group) makes this a look at the few
    pages with children, each asked for a restriction by its id, instead of a join of every restriction with its page.
    """
    request = request_or_user if hasattr(request_or_user, "user") else None
    if request is not None and hasattr(request, "_restricted_depths"):
        return request._restricted_depths
    # Not kept across a `remembering()` block: a restriction added meanwhile at a new depth would go unseen there.
    restricted = PageViewRestriction.objects.filter(page=OuterRef("pk"))
    depths = list(
        Page.objects.filter(Exists(restricted), numchild__gt=0)
        .order_by("depth")
        .values_list("depth", flat=True)
        .distinct()
    )
    if request is not None:
        request._restricted_depths = depths
    return depths


def without_hidden_subtrees(queryset, request_or_user, held=None):
    """`queryset` less the pages below (or at) a view restriction this user does not meet.

    One condition per depth at which restrictions hang, whatever their number: a page is hidden when its
    ancestor at that depth (its path cut to that depth) carries a restriction the user is outside. Asked per
    candidate row (NOT EXISTS, through the unique index on the path), so the cost follows the rows listed, not
    the restrictions that exist: a `NOT IN` over the hidden pages' paths made SQLite build that set of 10 000
    paths for every statement. A chain of one exclusion per restriction grew with the restrictions until SQLite
    refused the statement (its expression depth limit); so does Wagtail's own `PageQuerySet.public()`.
    `held`: judge for these principals instead of the user's.
    """
    hidden = hidden_restrictions(request_or_user, held)
    if hidden.query.is_empty():
        return queryset
    # A page's own restrictions by its id (an integer index), its ancestors' by their paths (the text index), and
    # an ancestor's depth is only asked of the pages below it: the many restricted leaves cost one probe each.
    queryset = queryset.exclude(Exists(hidden.filter(page=OuterRef("pk"))))
    for depth in _restricted_depths(request_or_user):
        ancestor_path = Substr(OuterRef("path"), 1, depth * Page.steplen)
        queryset = queryset.exclude(Q(depth__gt=depth) & Exists(hidden.filter(page__path=ancestor_path)))
    return queryset


def readable_by_every_employee(queryset, request):
    """The live pages of `queryset` that every employee may read as far as view restrictions go (what Wagtail's
    `public()` means on an intranet where every reader is logged in), and that this reader may read: for channels
    shared by all, like the sitemap.

    One set of conditions, not `visible()` and then the employees' rule: the restrictions closed to every employee
    include those closed to any logged-in reader (who holds "authenticated" and more), and an anonymous reader holds
    nothing, so every restriction is closed to them, as in `visible()`.
    """
    held = user_principals(request) & {AUTHENTICATED}
    return _narrowed_by_page_types(without_hidden_subtrees(queryset.live(), request, held=held), request)


@functools.cache
def _declared_rules(model):
    """The queryset rules of the page types a queryset of `model` may hold: each page type with a rule of
    its own declares it as the classmethod `narrow_visible(queryset, request_or_user)`, which removes what
    the user may not read. Found through the app registry, so nothing registers itself on import."""
    return tuple(
        candidate.narrow_visible
        for candidate in apps.get_models()
        if issubclass(candidate, model) and "narrow_visible" in vars(candidate)
    )


def _narrowed_by_page_types(queryset, request_or_user):
    """`queryset` less what the page types' own rules keep from this user (none for a superuser)."""
    if not is_unrestricted(_user_of(request_or_user)):
        for rule in _declared_rules(queryset.model):
            queryset = rule(queryset, request_or_user)
    return queryset


def visible(queryset, request_or_user):
    """Narrow a page queryset to the live pages this user may view."""
    return _narrowed_by_page_types(without_hidden_subtrees(queryset.live(), request_or_user), request_or_user)


def _can_view_referenced(request_or_user, obj, manager_policy):
    """Whether this user may read `obj` (a document or an image) by the pages that use it.

    Wagtail guards files by their collection only; a file attached to a closed
    page would be served to anyone holding its URL. So a file that pages refer
    to (Wagtail's reference index: rich text links and embeds, choosers, blocks
    of the pages' child objects such as a paragraph's beslutsunderlag) is
    readable only by someone who may read at least one of those pages.

    A file no page uses is served only to those who manage files in the admin
    (editors, reviewers): the reference index follows the pages' saved rows,
    not their unpublished revisions, so a file attached only to a draft of a
    closed record looks unused, and its sequential id must not open it to all.
    """
    user = _user_of(request_or_user)
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_unrestricted(user):
        return True
    page_type = ReferenceIndex._get_base_content_type(Page)
    page_ids = set(
        ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type).values_list("object_id", flat=True)
    )
    if not page_ids:
        return manager_policy.user_has_any_permission(user, ["add", "change", "choose"])
    pages = Page.objects.filter(pk__in=[int(pk) for pk in page_ids])
    return any(
        can_view(request_or_user, page) and _page_gives_file(request_or_user, page.specific, obj)
        for page in visible(pages, request_or_user)
    )


@functools.cache
def _declared_file_rules():
    """The page types with a rule of their own for the files they use (`may_read_file`), each naming the files that
    rule may keep from a reader of the page as the classmethod `guarded_file_ids(model)`."""
    return tuple(
        candidate.guarded_file_ids
        for candidate in apps.get_models()
        if issubclass(candidate, Page) and "guarded_file_ids" in vars(candidate)
    )


def files_guarded_by_pages(model):
    """Ids of the files of `model` (documents or images) that a page's own rule may keep from some of its readers,
    e.g. the documents of sekretess paragraphs: listings of files ask `can_view_*` again for these."""
    return set().union(set(), *(rule(model) for rule in _declared_file_rules()))


def _page_gives_file(request_or_user, page, obj):
    """The page type's own rule for a file it uses (`may_read_file`), e.g. a meeting record's document used only
    by a sekretess paragraph, which only the forum's members and editors read (access/secrecy.py)."""
    rule = getattr(page, "may_read_file", None)
    return rule is None or rule(request_or_user, obj)


def can_view_document(request_or_user, document):
    """Whether this user may download `document` (see `_can_view_referenced`)."""
    return _can_view_referenced(request_or_user, document, policy_registry.get_by_type(get_document_model()))


@functools.cache
def _declared_shared_image_rules():
    """The models naming images that every logged-in employee may load whatever pages use them (e.g. the logo in
    every page's header), each by the classmethod `images_for_every_employee()` returning their ids."""
    return tuple(
        candidate.images_for_every_employee
        for candidate in apps.get_models()
        if "images_for_every_employee" in vars(candidate)
    )


def can_view_image(request_or_user, image):
    """Whether this user may see `image`, its original file or any rendition: the same rule as documents, except
    for the images a model shares with every employee (the logo)."""
    user = _user_of(request_or_user)
    if (
        user
        and user.is_authenticated
        and user.is_active
        and any(image.pk in rule() for rule in _declared_shared_image_rules())
    ):
        return True
    return _can_view_referenced(request_or_user, image, policy_registry.get_by_type(get_image_model()))
