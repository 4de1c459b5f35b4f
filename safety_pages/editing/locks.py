"""A clear Swedish message when someone else holds a page's lock, or when a justerat record's text is locked.

Wagtail shows who locked the page and when; editors also need to know what
that means for them, and a save attempt should not end in Wagtail's
untranslated error.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from wagtail.locks import BasicLock
from wagtail.models import Page

from safety_pages.models import MeetingRecordPage


def lock_message(page, user):
    """The explanation for `user` when `page` is locked for them, or None."""
    lock = page.get_lock()
    if lock is None or not lock.for_user(user):
        return None
    if isinstance(lock, BasicLock) and page.locked_by_id:
        holder = page.locked_by.get_full_name() or page.locked_by.get_username()
        when = date_format(localtime(page.locked_at), "j F Y H:i") if page.locked_at else ""
        return _(
            "%(holder)s arbetar med sidan och låste den %(when)s. Du kan läsa sidan men inte spara ändringar "
            "förrän den är upplåst. Be %(holder)s låsa upp den, eller en granskare om det brådskar."
        ) % {"holder": holder, "when": when}
    return _("Sidan är låst medan den granskas. Bara den som granskar det här steget kan ändra den nu.")


def explain_lock(request, page):
    """before_edit_page: explain the lock; refuse a save by someone else with the same words."""
    message = lock_message(page, request.user)
    if message is None:
        return None
    if request.method == "POST" and "action-cancel-workflow" not in request.POST:
        messages.error(request, _("Dina ändringar sparades inte.") + " " + message)
        return redirect("wagtailadmin_pages:edit", page.pk)
    if request.method == "GET":
        messages.warning(request, message)
    return None


def refuse_revert_of_locked_text(request, page):
    """before_edit_page: a justerat record is not reverted to an older revision (issue 20, item 2).

    The revert view's form starts from the older revision, so the edit form's lock sees no change in it: a
    revert would publish the text as it was before justering, and the record as not justerat. A change after
    justering is a rättelse, made on the current text.
    """
    match = request.resolver_match
    if match is None or match.url_name != "revisions_revert":
        return None
    text_locked = getattr(Page.objects.get(pk=page.pk).specific, "text_locked", None)
    if not callable(text_locked) or not text_locked():
        return None
    message = _(
        "Protokollet är justerat och texten är låst: det kan inte återställas till en tidigare version. "
        "Gör en rättelse med skäl i stället."
    )
    if request.method == "POST":
        messages.error(request, message)
        return redirect("wagtailadmin_pages:edit", page.pk)
    messages.warning(request, message)
    return None


def _justerade_among(pages):
    """The justerade records among `pages` and below them (deleting a forum deletes its records)."""
    found = MeetingRecordPage.objects.none()
    for page in pages:
        found |= MeetingRecordPage.objects.descendant_of(page, inclusive=True).filter(adjusted_on__isnull=False)
    return found


def _refuse_deletion(request, records):
    messages.error(
        request,
        _(
            "Justerade protokoll är allmänna handlingar och raderas inte härifrån: %(titles)s. Avpublicera "
            "protokollet om det inte ska visas; gallring görs av en administratör enligt dokumenthanteringsplanen."
        )
        % {"titles": ", ".join(f"”{record.title}”" for record in records[:3])},
    )


def refuse_deleting_justerat_records(request, page):
    """before_delete_page: a justerat protokoll (or a page above one) is not deleted by an editor.

    Unpublishing stays open to editors (e.g. when personal data is found in a record): it changes no word and
    can be undone. Deleting destroys the allmän handling; administrators do it when the records are gallrade.
    """
    if request.user.is_superuser:
        return None
    records = list(_justerade_among([page]))
    if not records:
        return None
    _refuse_deletion(request, records)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


def refuse_bulk_deleting_justerat_records(request, action_type, objects, action):
    """before_bulk_action: the same for the bulk delete of pages."""
    if action_type != "delete" or request.user.is_superuser or not objects or not isinstance(objects[0], Page):
        return None
    records = list(_justerade_among(objects))
    if not records:
        return None
    _refuse_deletion(request, records)
    return redirect("wagtailadmin_explore", objects[0].get_parent().pk)
