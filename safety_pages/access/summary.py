"""Why a page is hidden from someone, in words an editor understands (shown in the admin's status panel)."""

from django.contrib.auth.models import Group
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from wagtail.models import PageViewRestriction

from safety_pages.access.visibility import AUTHENTICATED, page_principals


def _group_names(principals):
    ids = [int(p.split(":", 1)[1]) for p in principals if p.startswith("group:")]
    return sorted(Group.objects.filter(pk__in=ids).values_list("name", flat=True))


def _readers_text(principals):
    if AUTHENTICATED in principals:
        return _("alla inloggade medarbetare")
    names = _group_names(principals)
    users = [p for p in principals if p.startswith("user:")]
    parts = [", ".join(names)] if names else []
    if users:
        parts.append(_("%(count)s enskilda användare") % {"count": len(users)})
    return "; ".join(parts) if parts else _("bara superanvändare")


def access_summary(page):
    """{'readers': text, 'reasons': [text, …], 'restricted': bool} for the live version of `page`."""
    reasons = []
    if not page.live:
        reasons.append(_("Sidan är inte publicerad: bara den som får redigera den ser den, i administrationen."))
    for restriction in page.get_view_restrictions().select_related("page").prefetch_related("groups"):
        where = _("denna sida") if restriction.page_id == page.pk else format_lazy("”{}”", restriction.page.title)
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            groups = ", ".join(sorted(group.name for group in restriction.groups.all())) or _("inga grupper")
            reasons.append(
                _("Begränsning på %(where)s: bara grupperna %(groups)s.") % {"where": where, "groups": groups}
            )
        elif restriction.restriction_type == PageViewRestriction.PASSWORD:
            reasons.append(
                _("Begränsning på %(where)s: lösenord. Sidan visas inte i listor, flöden eller sökningen.")
                % {"where": where}
            )
        elif restriction.restriction_type == PageViewRestriction.LOGIN:
            reasons.append(_("Begränsning på %(where)s: inloggning krävs.") % {"where": where})
    specific = page.specific
    rule = getattr(specific, "read_rule_description", None)
    if callable(rule):
        text = rule()
        if text:
            reasons.append(str(text))
    elif getattr(specific, "extra_read_principals", None) is not None and specific.extra_read_principals() is not None:
        reasons.append(_("Sidtypens egen regel begränsar läsarna (t.ex. ett protokoll som inte är justerat)."))
    principals = page_principals(page)
    return {
        "readers": _readers_text(principals),
        "reasons": reasons,
        "restricted": AUTHENTICATED not in principals,
    }
