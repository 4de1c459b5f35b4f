"""The start page's lists per role (safety_pages/frontend/start_page.py), with the follow-up of the editors.

A template tag, because the start page is a page model, which may not import the features it shows; this entry
point joins the frontend lists with the follow-up rules the admin dashboard uses (followup/rules.py).
"""

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from safety_pages.followup import rules as followup
from safety_pages.frontend import start_page
from safety_pages.models import generation as fragments

register = template.Library()

# Follow-up lines per rule on the start page, as on the admin home; the follow-up view shows them all.
FOLLOWUP_LINES_PER_RULE = 5


def _public_lists(request, today):
    return {
        "upcoming": start_page.upcoming_meetings(request, today),
        "records": start_page.latest_records(request),
        "documents": start_page.latest_documents(request),
    }


@register.simple_tag(takes_context=True)
def start_page_public(context):
    """The lists for everyone, drawn; cached per group set under the content generation when they are shared."""
    request = context["request"]
    # The generation first, before anything shown is read (models/generation.py).
    generation = fragments.generation(request)
    today = timezone.localdate()
    reader = start_page.shared_reader_key(request)
    key = None
    if reader is not None and not getattr(request, "is_preview", False):
        # The host too: a page of another site's tree is linked with its full address (issue 24's host trees).
        parts = [generation, get_language(), today.isoformat(), request.get_host(), reader]
        key = "start-page-public:" + fragments.digest(parts)
        html = cache.get(key)
        if html is not None:
            # Drawn (and escaped) by our own template; the cache keeps the text, not its safety mark.
            return mark_safe(html)
    html = render_to_string("safety_pages/includes/start_page_public.html", _public_lists(request, today), request)
    if key is not None:
        cache.set(key, html, fragments.GENERATION_TIMEOUT)
    return html


@register.simple_tag(takes_context=True)
def start_page_personal(context):
    """The reader's own parts: tasks first (editors and justerare), then their forums (members)."""
    request = context["request"]
    # Drawn first on the page: the generation is read here, before anything any part of the page shows.
    fragments.generation(request)
    to_sign, to_review = start_page.workflow_tasks(request)
    followup_rules = []
    if start_page.may_edit_pages(request.user):
        # Only the lines the reader can act on (the edit view one click away): their area, not all they may read.
        for rule in followup.collect(request):
            rule.items = [item for item in rule.items if item.editable]
            if rule.items:
                followup_rules.append(rule)
    return {
        "to_sign": to_sign,
        "to_review": to_review,
        "followup": followup_rules,
        "per_rule": FOLLOWUP_LINES_PER_RULE,
        "has_tasks": bool(to_sign or to_review or followup_rules),
        "forums": start_page.my_forums(request),
    }
