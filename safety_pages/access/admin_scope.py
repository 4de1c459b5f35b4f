"""What a user may see in the admin: the pages they may edit, and otherwise only what they may read.

Members of a justerargrupp and the *Utsedda justerare* log in to the admin to justera, nothing else; through
the choosers, the admin API and the bulk actions Wagtail would show them the title of every page, document
and image (drafts, unpublished and restricted pages included). These rules narrow those channels to:

- pages: those the user may edit, and, where a page is chosen to link to, those they may read (`visibility`);
- documents and images: every file for those who manage files (Wagtail's collection permissions show them
  all in the admin already), and for everyone else the files they may read (`visibility.can_view_document`).

Superusers see everything, as before. A user who may read a page but not edit it is shown its live title, never
the title of a newer draft (`admin_title`); tags are offered by the pages and files that use them (`readable_tags`).
"""

from django.apps import apps
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from safety_pages.access import visibility

_FILE_MANAGER_ACTIONS = ["add", "change", "choose", "delete"]


def _user_of(request_or_user):
    return getattr(request_or_user, "user", request_or_user)


def editable_pages(user):
    """The pages this user may edit (add below, change or publish), as a queryset."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, ["add", "change", "publish"])


def choosable_pages(queryset, request_or_user):
    """`queryset` narrowed to the pages this user may choose as a link: those they may edit or read, and the
    tree's root (the chooser starts there; its title names no content)."""
    user = _user_of(request_or_user)
    if visibility.is_unrestricted(user):
        return queryset
    readable = visibility.visible(Page.objects.all(), request_or_user)
    return queryset.filter(Q(depth=1) | Q(pk__in=editable_pages(user).values("pk")) | Q(pk__in=readable.values("pk")))


def admin_title(request_or_user, page):
    """The title the admin may show this user for `page`: its admin title (that of its latest draft) to those who
    may edit it, its live title to those who may only read it, and None to everyone else."""
    user = _user_of(request_or_user)
    if visibility.is_unrestricted(user) or page.permissions_for_user(user).can_edit():
        return page.get_admin_display_title()
    if page.depth == 1 or choosable_pages(Page.objects.filter(pk=page.pk), request_or_user).exists():
        # A page they may choose without editing it is one they may read: its live title is shown to them anyway.
        return page.title
    return None


def _tagged_page_models():
    return [model for model in apps.get_models() if issubclass(model, Page) and hasattr(model, "tags")]


def readable_tags(queryset, request_or_user):
    """`queryset` (tags) narrowed to those this user may be offered: every tag to those who may edit some page
    (they tag pages), otherwise the tags of the pages and files they may read (a tag used only by hidden
    content names it)."""
    user = _user_of(request_or_user)
    if visibility.is_unrestricted(user) or editable_pages(user).exists():
        return queryset
    readable = visibility.visible(Page.objects.all(), request_or_user).values("pk")
    used = Q(pk__in=[])
    for model in _tagged_page_models():
        used |= Q(pk__in=model.objects.filter(pk__in=readable).values("tags"))
    for model in (get_document_model(), get_image_model()):
        used |= Q(pk__in=readable_files(model.objects.all(), request_or_user).values("tags"))
    return queryset.filter(used)


def manages_files(user, model):
    """Whether the user manages files of this model (documents or images) in some collection."""
    return policy_registry.get_by_type(model).user_has_any_permission(user, _FILE_MANAGER_ACTIONS)


def readable_files(queryset, request_or_user):
    """`queryset` (documents or images) narrowed to those this user may see in the admin: the queryset form of
    `visibility.can_view_document`/`can_view_image` (a file is read through a page that uses it) for those who
    do not manage files."""
    user = _user_of(request_or_user)
    model = queryset.model
    if visibility.is_unrestricted(user) or manages_files(user, model):
        return queryset
    page_ids = (
        visibility.visible(Page.objects.all(), request_or_user)
        .annotate(pk_text=Cast("pk", output_field=CharField()))
        .values("pk_text")
    )
    used = ReferenceIndex.objects.filter(
        to_content_type=ReferenceIndex._get_base_content_type(model),
        base_content_type=ReferenceIndex._get_base_content_type(Page),
        object_id__in=page_ids,
    ).values_list("to_object_id", flat=True)
    ids = {int(pk) for pk in used}
    # A file a page uses is not always read by all its readers (a sekretess paragraph's document): those few are
    # asked one by one, by the rule that serves them.
    can_view = visibility.can_view_document if model is get_document_model() else visibility.can_view_image
    for obj in model.objects.in_bulk(ids & visibility.files_guarded_by_pages(model)).values():
        if not can_view(request_or_user, obj):
            ids.discard(obj.pk)
    return queryset.filter(pk__in=ids)


def may_see_in_admin(request_or_user, obj):
    """Whether the admin may name `obj` (its title) to this user, e.g. among the items of a bulk action."""
    user = _user_of(request_or_user)
    if visibility.is_unrestricted(user):
        return True
    if isinstance(obj, Page):
        return obj.permissions_for_user(user).can_edit()
    if isinstance(obj, (get_document_model(), get_image_model())):
        return readable_files(type(obj).objects.filter(pk=obj.pk), request_or_user).exists()
    return False
