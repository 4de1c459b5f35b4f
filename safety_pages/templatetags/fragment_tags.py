"""Keys for `{% cache %}` around fragments that are slow to draw (see safety_pages/fragments.py)."""

from django import template

from .. import fragments

register = template.Library()


@register.filter
def paragraph_body_key(paragraph):
    return fragments.paragraph_body_key(paragraph)


@register.simple_tag
def members_key(members_by_role, seats):
    return fragments.members_key(members_by_role, seats)
