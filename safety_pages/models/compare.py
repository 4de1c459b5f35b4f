"""Two versions of an instruction side by side, with what changed marked as <del>/<ins>.

difflib from the standard library does the matching; this module only turns its
opcodes into escaped HTML, word by word, so a changed number or name stands out.
"""

import difflib
import html
import re

from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

RULE_FIELDS = [
    "ordinary_seats",
    "substitute_seats",
    "quorum_rule",
    "meetings_per_year_min",
    "meetings_per_year_max",
    "referrers",
    "status",
    "adopted_by",
    "valid_from",
    "valid_to",
]

_TOKENS = re.compile(r"\n|[^\S\n]+|[^\s]+")


def field_text(page, name):
    """A field's value as a reader sees it."""
    value = getattr(page, name)
    if value is None or value == "":
        return "–"
    if hasattr(page, f"get_{name}_display"):
        return str(getattr(page, f"get_{name}_display")())
    if hasattr(value, "isoformat"):
        return date_format(value, "Y-m-d")
    return str(value)


def rich_text_plain(source):
    """Rich text as plain paragraphs: block ends become line breaks, tags go."""
    source = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n", str(source))
    lines = [" ".join(html.unescape(strip_tags(line)).split()) for line in source.split("\n")]
    return "\n".join(line for line in lines if line)


def section_texts(page):
    return [(block.value["heading"], rich_text_plain(block.value["body"].source)) for block in page.sections]


def _render(tokens, tag=None):
    text = "".join(tokens)
    escaped = html.escape(text).replace("\n", "<br>")
    if tag is None or not text.strip():
        return escaped
    label = _("Borttaget:") if tag == "del" else _("Tillagt:")
    return f'<{tag}><span class="visually-hidden">{html.escape(label)} </span>{escaped}</{tag}>'


def diff_html(old, new):
    """(old, new) as HTML with removed words in <del> on the left and added words in <ins> on the right."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(_render(old_tokens[i1:i2]))
            right.append(_render(new_tokens[j1:j2]))
        else:
            if i2 > i1:
                left.append(_render(old_tokens[i1:i2], "del"))
            if j2 > j1:
                right.append(_render(new_tokens[j1:j2], "ins"))
    return mark_safe("".join(left)), mark_safe("".join(right))


def _row(label, old, new):
    left, right = diff_html(old, new)
    return {"label": label, "old": left, "new": right, "changed": old != new}


def compare_instructions(first, second):
    """Rows of rules and sections for `first` (left) against `second` (right)."""
    rules = [
        _row(label, field_text(first, name), field_text(second, name))
        for name in RULE_FIELDS
        for label in [str(first._meta.get_field(name).verbose_name).capitalize()]
    ]
    old_sections, new_sections = dict(section_texts(first)), dict(section_texts(second))
    headings = [h for h, _text in section_texts(first)]
    headings += [h for h, _text in section_texts(second) if h not in old_sections]
    sections = [_row(h, old_sections.get(h, ""), new_sections.get(h, "")) for h in headings]
    return {
        "first": first,
        "second": second,
        "rules": rules,
        "sections": sections,
        "changes": sum(1 for row in rules + sections if row["changed"]),
    }
