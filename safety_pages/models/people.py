"""People as the pages that list them show them: their roles in a forum, and their hits in search.

A person is never a hit by themselves: each page that lists them (a forum's members and functions, a record's
attendance) gives search one hit of the person page, with that page's readers and the roles that page shows. So a
person who sits only in a closed forum is found only by those who may read that forum, and a hit never shows a role
its reader may not see; the person page (safety_pages.frontend.people) follows the same rule. Several pages listing
one person give one hit each; search shows the first of an address only.

What a hit and the person page show of a person is what the listing pages already show: name (and party), title,
the organisation they represent, their role. Not their e-mail address or telephone number.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The type of a person's hit in search, with its label in the type facet.
PERSON_ITEM_TYPE = "person"
PERSON_ITEM_LABEL = gettext_lazy("person")


@dataclass
class Role:
    """One role of a person on a page listing them: a seat in a forum, a function (föredragande) or an attendance."""

    label: str
    page: object = None
    represents: str = ""
    description: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None

    def is_past(self, on=None):
        return self.ends_on is not None and self.ends_on < (on or timezone.localdate())

    def is_upcoming(self, on=None):
        return self.starts_on is not None and self.starts_on > (on or timezone.localdate())

    def text(self, on=None):
        """The role as a sentence part: "ledamot, företräder Polismyndigheten (till 2024-12-31)"."""
        parts = [str(self.label)]
        if self.represents:
            parts.append(_("företräder %(organisation)s") % {"organisation": self.represents})
        if self.description:
            parts.append(self.description)
        text = ", ".join(parts)
        if self.is_past(on):
            return _("%(role)s (tidigare, till %(day)s)") % {"role": text, "day": date_format(self.ends_on, "Y-m-d")}
        if self.is_upcoming(on):
            return _("%(role)s (från %(day)s)") % {"role": text, "day": date_format(self.starts_on, "Y-m-d")}
        return text


def membership_role(membership, page=None):
    represents = membership.organisation.name if membership.organisation_id else ""
    return Role(
        label=membership.get_role_display(),
        page=page,
        represents=represents,
        starts_on=membership.starts_on,
        ends_on=membership.ends_on,
    )


def person_item(person, page, roles):
    """The hit of `person`'s page that `page` gives search, showing the roles `page` lists them in: a mapping of the
    fields of search's SearchItem (this app imports nothing from search). Its readers are the page's own."""
    # In the site's language whoever's request writes it (an editor may use the admin in English): the index is
    # analysed as Swedish, and its text is what every reader's excerpt shows.
    with translation.override(settings.LANGUAGE_CODE):
        role_texts = "; ".join(role.text() for role in roles)
        where = _("%(roles)s i %(page)s") % {"roles": role_texts, "page": page.title} if role_texts else page.title
    return {
        "key": f"person-{person.pk}",
        "title": str(person),
        "url": person.get_absolute_url(),
        # The name (and title) is the heading: a name typed finds the person above the pages that mention them.
        "heading": " ".join(t for t in (str(person), person.title) if t),
        # The roles and where: "ordförande trygghetsrådet linköping" finds the chair through the forum's title here
        # and the municipality in the hit's context.
        "body": where,
        "type": PERSON_ITEM_TYPE,
        "type_label": PERSON_ITEM_LABEL,
        "readers": None,
    }


def people_items(page, roles_by_person):
    """The person hits of a page: {person: [Role]} in the order the page lists them."""
    for person, roles in roles_by_person.items():
        yield person_item(person, page, roles)


# "§ 224", "§§ 35–36", "§§ 35, 36 och 38" in an attendance row's description ("handläggare §§ 35–36").
_PARAGRAPHS_RE = re.compile(r"§§?\s*(\d+(?:\s*(?:[-–—]|,|och|&)\s*\d+)*)")
_RANGE_RE = re.compile(r"(\d+)\s*[-–—]\s*(\d+)")
# A range wider than this is a typing error, not paragraphs someone presented.
MAX_RANGE = 100


def paragraph_numbers(text):
    """The paragraph numbers an attendance row's description names: {35, 36} for "handläggare §§ 35–36"."""
    numbers = set()
    for match in _PARAGRAPHS_RE.finditer(text or ""):
        listed = match.group(1)
        for start, end in _RANGE_RE.findall(listed):
            low, high = int(start), int(end)
            if low <= high <= low + MAX_RANGE:
                numbers.update(range(low, high + 1))
        numbers.update(int(n) for n in re.findall(r"\d+", _RANGE_RE.sub("", listed)))
    return numbers
