"""Wagtail 8 admin strings missing from Wagtail's Swedish catalogue; our locale/sv supplies them.

Listed here only so that `make messages` (makemessages) finds them in our code and keeps their Swedish in
locale/sv/LC_MESSAGES/django.po instead of marking it obsolete. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = (
    gettext_noop("Saved"),  # the autosave indicator
    gettext_noop("Autosave is paused"),
    gettext_noop("Autosave is <span>paused</span>"),  # the footer warning when autosave stops
    gettext_noop("Compare"),  # the heading of the revision compare view
)
