"""Text where two pieces meet: a sentence after a fact, rich text as one line, a heading from what is listed."""

import re

from django import template
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()

# Where one block of rich text ends and the next begins: "<li>…Kombrå, och</li><li>att inrätta…</li>" reads
# "Kombrå, och att inrätta", not "Kombrå, ochatt inrätta". A decision's att-satser carry their own punctuation.
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|ul|ol|div|blockquote)\s*>|<br\s*/?>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


# Like |striptags: entities stay encoded, so the result is safe to insert as it is.
@register.filter(is_safe=True)
def plain_text(html):
    """Rich text as one line of plain text: a space wherever a block ends, no tags."""
    return _SPACE.sub(" ", strip_tags(_BLOCK_END.sub(" ", str(html or "")))).strip()


@register.filter
def then_sentence(fact, sentence):
    """Two sentences, not run together: "4 gånger per år. Sammanträde hålls också…", "Eller när…" capitalised."""
    fact, sentence = str(fact or "").strip(), str(sentence or "").strip()
    if not sentence:
        return fact
    if not fact:
        return capfirst(sentence)
    return f"{fact}{'' if fact[-1] in '.!?' else '.'} {capfirst(sentence)}"


@register.simple_tag
def listed_heading(*labelled):
    """A heading naming only what is listed: pairs of (label, items) → "Ordförande och justerare"."""
    labels = [str(label) for label, items in zip(labelled[::2], labelled[1::2], strict=True) if items]
    if not labels:
        return ""
    words = [labels[0]] + [label.lower() for label in labels[1:]]
    if len(words) == 1:
        return words[0]
    return _("%(first)s och %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}
