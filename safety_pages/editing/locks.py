"""A clear Swedish message when someone else holds a page's lock.

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
