"""The organisation of the three municipalities: registers, forums, memberships, relations and instructions.

Everything comes from fixtures/demo/forums.json, which follows the seeds. Runs
right after the site step so later steps can hang their pages under the forums
(shared through `context.registry["forums"][(section slug, forum slug)]`).
"""

import datetime
import json

from intranet.demo.pages import upsert_child
from safety_pages.models import Decision, ForumIndexPage, ForumPage, InstructionPage, Membership, Organisation, Person

FORUM_FIELDS = [
    "title",
    "kind",
    "level",
    "locality",
    "parent_body",
    "short_name",
    "purpose",
    "tasks",
    "model_role",
    "meetings_per_year_min",
    "meetings_per_year_max",
    "meetings_note",
    "convener_description",
    "presenter_description",
    "secretary_description",
    "supporting_units",
    "status",
]
INSTRUCTION_FIELDS = [
    "title",
    "ordinary_seats",
    "substitute_seats",
    "quorum_rule",
    "meetings_per_year_min",
    "meetings_per_year_max",
    "referrers",
    "status",
]
MEMBERSHIP_KEYS = ("person_id", "organisation_id", "role", "substitute_order", "starts_on", "ends_on", "note")


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _registers(data, registry):
    organisations = {}
    for row in data["organisations"]:
        organisation, _ = Organisation.objects.update_or_create(
            name=row["name"], defaults={"kind": row["kind"], "internal": row["internal"]}
        )
        organisations[row["name"]] = organisation
    persons = {}
    for row in data["persons"]:
        person, _ = Person.objects.update_or_create(
            name=row["name"],
            defaults={
                "title": row.get("title", ""),
                "party": row.get("party", ""),
                "organisation": organisations.get(row.get("organisation")),
            },
        )
        persons[row["name"]] = person
    decisions = {}
    for row in data["decisions"]:
        decision, _ = Decision.objects.update_or_create(
            body=row["body"],
            date=_date(row["date"]),
            paragraph=row["paragraph"],
            case_number=row["case_number"],
            defaults={"body_abbreviation": row["body_abbreviation"], "summary": row["summary"]},
        )
        decisions[row["key"]] = decision
    registry.update(organisations=organisations, persons=persons, decisions=decisions)
    return organisations, persons, decisions


def _forum_fields(row, persons, decisions):
    fields = {
        name: row.get(name, "" if name not in ("meetings_per_year_min", "meetings_per_year_max") else None)
        for name in FORUM_FIELDS
    }
    fields["status"] = row.get("status", "aktiv")
    for name in ("convener", "presenter", "secretary"):
        fields[name] = persons.get(row.get(name))
    for name in ("founded_by", "dissolved_by"):
        fields[name] = decisions.get(row.get(name))
    fields["founded_on"] = _date(row.get("founded_on"))
    fields["dissolved_on"] = _date(row.get("dissolved_on"))
    return fields


def _wanted_memberships(row, persons, organisations):
    wanted = []
    for member in row.get("memberships", []):
        person = persons.get(member.get("person"))
        organisation = organisations.get(member.get("organisation"))
        wanted.append(
            {
                "person_id": person.pk if person else None,
                "organisation_id": organisation.pk if organisation else None,
                "role": member["role"],
                "substitute_order": member.get("substitute_order"),
                "starts_on": _date(member.get("starts_on")),
                "ends_on": _date(member.get("ends_on")),
                "note": member.get("note", ""),
            }
        )
    return wanted


def _sync_children(page, wanted_memberships=None, relations=None, tags=None):
    """Memberships, relations and tags: one new revision when any of them differ, none otherwise."""
    changed = False
    if wanted_memberships is not None:
        current = [{key: getattr(m, key) for key in MEMBERSHIP_KEYS} for m in page.memberships.order_by("sort_order")]
        if current != wanted_memberships:
            page.memberships = [Membership(sort_order=i, **values) for i, values in enumerate(wanted_memberships)]
            changed = True
    for name, targets in (relations or {}).items():
        if {p.pk for p in getattr(page, name).all()} != {p.pk for p in targets}:
            setattr(page, name, targets)
            changed = True
    if tags is not None and set(page.tags.names()) != set(tags):
        page.tags.set(tags)
        changed = True
    # A page created unpublished in the first pass is published here, once, with everything on it.
    if changed or not page.live:
        page.save_revision().publish()
    return changed


def load(context):
    data = json.loads((context.fixtures_dir / "forums.json").read_text(encoding="utf-8"))
    organisations, persons, decisions = _registers(data, context.registry)
    forums = context.registry.setdefault("forums", {})
    indexes = context.registry.setdefault("forum_indexes", {})
    for section_slug, section in data["sections"].items():
        index_data = section["index"]
        index, _ = upsert_child(
            context.sections[section_slug],
            ForumIndexPage,
            index_data["slug"],
            title=index_data["title"],
            intro=index_data["intro"],
        )
        indexes[section_slug] = index
        for row in section["forums"]:
            # A new forum waits unpublished for its relations, so it gets one revision, not two.
            exists = index.get_children().filter(slug=row["slug"]).exists()
            page, _ = upsert_child(
                index, ForumPage, row["slug"], publish=exists, **_forum_fields(row, persons, decisions)
            )
            forums[(section_slug, row["slug"])] = page

    # Relations point at forums across the section, so they are set once every forum exists.
    for section_slug, section in data["sections"].items():
        for row in section["forums"]:
            page = ForumPage.objects.get(pk=forums[(section_slug, row["slug"])].pk)
            relations = {
                name: [forums[(section_slug, slug)] for slug in row.get(name, [])]
                for name in ("reports_to", "gives_assignments_to", "replaces")
            }
            _sync_children(page, _wanted_memberships(row, persons, organisations), relations, row.get("tags", []))
            forums[(section_slug, row["slug"])] = page
        for row in section["instructions"]:
            forum = forums[(section_slug, row["forum"])]
            fields = {name: row.get(name) for name in INSTRUCTION_FIELDS}
            fields["referrers"] = row.get("referrers", "")
            fields["substitute_seats"] = row.get("substitute_seats")
            exists = forum.get_children().filter(slug=row["slug"]).exists()
            instruction, _ = upsert_child(
                forum,
                InstructionPage,
                row["slug"],
                publish=exists,
                sections=row["sections"],
                adopted_by=decisions.get(row.get("adopted_by")),
                valid_from=_date(row.get("valid_from")),
                valid_to=_date(row.get("valid_to")),
                **fields,
            )
            instruction = InstructionPage.objects.get(pk=instruction.pk)
            _sync_children(instruction, tags=row.get("tags", []))
    context.registry["demo_member"] = data.get("demo_member")


def link_users(context):
    """The demo user `ledamot` is the fictional member of Mjölby's utskott, so member-only content opens to them."""
    link = context.registry.get("demo_member")
    if not link:
        return
    person = context.registry["persons"][link["person"]]
    user = context.users.get(link["user"])
    if user is not None and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
