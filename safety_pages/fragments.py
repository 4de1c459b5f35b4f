"""Cache keys of page fragments that take long to draw: a digest of exactly what the fragment shows.

Templates cache such a fragment with `{% cache %}` under this digest (and the
language), so nothing needs invalidating: an edit to anything shown makes a
new key, and the old entry ages out. Only fragments that are the same for
every reader who may open the page are keyed here (the page itself is checked
by visibility.py before any of it is drawn). One gap is accepted and bounded
by the cache timeout in the templates (10 minutes): rich text stores links to
pages by id, so a linked page that moves keeps its old address in a cached
fragment until then.
"""

import hashlib


def digest(parts):
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def paragraph_body_key(paragraph):
    """Everything includes/paragraph_body.html draws of one paragraph, its basis documents included."""
    documents = [
        (label, document.pk, document.title, document.file.name) if document else (label,)
        for label, document in paragraph.basis_items()
    ]
    return digest(
        [
            paragraph.pk,
            paragraph.background,
            paragraph.summary,
            documents,
            paragraph.motions.raw_data,
            paragraph.proposal_heading,
            paragraph.proposal,
            paragraph.decision_heading,
            paragraph.decision,
            paragraph.reservations,
            paragraph.disqualifications,
            paragraph.sent_to,
        ]
    )


def members_key(members_by_role, seats):
    """Everything the members section of a forum page draws: seats, and each active member as shown."""
    rows = []
    for role, label, members in members_by_role:
        rows.append((role, str(label)))
        for m in members:
            person = m.person
            rows.append(
                (
                    m.pk,
                    m.substitute_order,
                    m.note,
                    str(person) if person else None,
                    person.title if person else None,
                    str(m.organisation) if m.organisation_id else None,
                )
            )
    return digest([rows, seats])
