"""Small builders shared by the access tests (roles, local roles, workflow, leak matrix)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from intranet.demo.pages import upsert_child
from safety_pages.models import ForumIndexPage, ForumPage, InstructionPage, Membership, Person


def forum(section, slug, title=None, **fields):
    """A forum under the section's organisation page (created if the demo has none yet)."""
    index, _ = upsert_child(section, ForumIndexPage, "organisation", title="Organisation för trygghet och säkerhet")
    page = index.get_children().filter(slug=slug).first()
    if page is not None:
        return page.specific
    page, _ = upsert_child(index, ForumPage, slug, title=title or slug, kind="utskott", level="politisk", **fields)
    return page


def user(username, *groups):
    account, _ = get_user_model().objects.get_or_create(username=username)
    for name in groups:
        account.groups.add(Group.objects.get(name=name))
    return account


def member(forum_page, account, starts_on=None, ends_on=None, name=None):
    person, _ = Person.objects.get_or_create(user=account, defaults={"name": name or account.username})
    membership = Membership.objects.create(forum=forum_page, person=person, starts_on=starts_on, ends_on=ends_on)
    return membership


def instruction(forum_page, slug, title="Uppdragsbeskrivning", publish=True, **fields):
    page, _ = upsert_child(forum_page, InstructionPage, slug, title=title, publish=publish, **fields)
    return page


def restrict_to_groups(page, *groups):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(groups)
    return restriction
