"""The editor's side of the personal-data check: which findings are acknowledged, and the panel on the edit form.

A finding is resolved by editing the text so that it is no longer found, or acknowledged with a reason (e.g.
"the chair's published work number"). An acknowledgement is a Wagtail log entry on the page (who, when, the
reason, the finding's fingerprint, its kind and place, and its value masked: the log must not become a copy of
the personal data), so it shows in the page's history with every other editorial step. Acknowledged findings
do not stop Granskning or publishing; unresolved ones do (safety_pages.editing.personal_data).
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.admin.panels import HelpPanel
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from safety_pages.models import personal_data

ACKNOWLEDGE_ACTION = "safety_pages.personal_data.acknowledge"
FINDINGS_URL_NAME = "safety_pages_personal_data"
MAX_REASON_CHARS = 500


def acknowledgements(page):
    """{fingerprint: the log entry that acknowledged it} for the page (the latest one per finding)."""
    entries = PageLogEntry.objects.filter(page_id=page.pk, action=ACKNOWLEDGE_ACTION).select_related("user")
    return {entry.data.get("fingerprint"): entry for entry in entries.order_by("timestamp")}


def review(page, known_emails=None):
    """[(finding, its acknowledgement or None)] for the page as given (a revision, an unsaved form's page)."""
    findings = personal_data.scan_page(page, known_emails)
    done = acknowledgements(page) if page.pk else {}
    return [(finding, done.get(finding.fingerprint)) for finding in findings]


def unresolved(page):
    """The findings that stop Granskning and publishing: neither edited away nor acknowledged."""
    return [finding for finding, acknowledgement in review(page) if acknowledgement is None]


def acknowledge(page, finding, user, reason):
    return log(
        instance=page,
        action=ACKNOWLEDGE_ACTION,
        user=user,
        data={
            "fingerprint": finding.fingerprint,
            "kind": finding.kind,
            "place": finding.place_label,
            "value": finding.masked,
            "reason": reason[:MAX_REASON_CHARS],
        },
    )


def findings_url(page):
    return reverse(FINDINGS_URL_NAME, args=[page.pk])


class PersonalDataPanel(HelpPanel):
    """On the edit form: what the check finds in the saved draft, each with its place, and a link to the page where
    a finding is acknowledged. Shown only for a saved page (a new one has no draft yet)."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            page = self.instance
            if not page.pk:
                self.content = ""
                return
            items = review(page)
            open_items = [finding for finding, acknowledgement in items if acknowledgement is None]
            if not items:
                self.content = format_html(
                    '<p class="personal-data-check">{}</p>',
                    _("Kontrollen av personuppgifter och sekretess hittade ingenting i det sparade utkastet."),
                )
                return
            rows = format_html_join(
                "",
                "<li>{}: {} – <q>{}</q>{}</li>",
                (
                    (
                        finding.kind_label,
                        finding.place_label,
                        finding.snippet,
                        "" if acknowledgement is None else format_html(" ({})", _("kvitterad")),
                    )
                    for finding, acknowledgement in items
                ),
            )
            summary = (
                _(
                    "%(count)s fynd är varken åtgärdade eller kvitterade: sidan kan inte skickas till granskning "
                    "eller publiceras förrän de är borttagna ur texten eller kvitterade med ett skäl."
                )
                % {"count": len(open_items)}
                if open_items
                else _("Alla fynd är kvitterade.")
            )
            self.content = format_html(
                '<div class="personal-data-check" role="{}"><p>{}</p><ul>{}</ul><p><a href="{}">{}</a></p></div>',
                "alert" if open_items else "status",
                summary,
                rows,
                findings_url(page),
                _("Granska och kvittera fynden"),
            )

        def is_shown(self):
            return bool(self.content)
