"""The content tests build, one function per kind: pages, registers, users, restrictions, minutes files, admin forms.

Pages are made with the demo loader's `upsert_child`, so a builder called for a page that exists (a demo forum, a
page an earlier line of the test made) brings it up to date with the fields given and otherwise leaves it alone:
`forum("mjolby", "trygghets-och-sakerhetsutskottet")` is the demo's utskott as loaded. Each builder returns the page
fresh from the database, as a request would load it.

Keyword arguments are the model's own fields; only what tests vary has a default here.
"""

import datetime
import io
import itertools

import docx
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from odf import opendocument
from odf import table as odf_table
from odf import text as odf_text
from PIL import Image as PILImage
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, PageViewRestriction
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from intranet.demo.pages import upsert_child
from safety_pages.models import (
    AgendaItem,
    Attendance,
    Case,
    CitizenDialogueIndexPage,
    CitizenDialogueReportPage,
    Decision,
    DialogueAction,
    ForumIndexPage,
    ForumPage,
    InstructionPage,
    MeetingRecordPage,
    Membership,
    Paragraph,
    Person,
    SectionPage,
    SteeringDocumentIndexPage,
    SteeringDocumentPage,
)

# The demo's utskott in Mjölby: its address on the site and its path in the page tree.
UTSKOTT_URL = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"
UTSKOTT_PATH = "/trygghetsportalen/mjolby/organisation/trygghets-och-sakerhetsutskottet/"
ORGANISATION_TITLE = "Organisation för trygghet och säkerhet"

# Slugs for pages whose slug a test does not care about, unique in the run.
_numbers = itertools.count(1)


def _title(slug):
    return slug.replace("-", " ").capitalize()


def _fresh(page):
    return page.specific_class.objects.get(pk=page.pk)


# --- the page tree --------------------------------------------------------------------------------


def section(slug="mjolby"):
    """A municipality's section of the demo (or of the `org` fixture's blank site: "exempel")."""
    return SectionPage.objects.get(slug=slug)


def organisation(parent):
    """The organisation page (forum index) of a section, given as a page or its slug; made if it has none yet."""
    if isinstance(parent, str):
        parent = section(parent)
    page, _created = upsert_child(parent, ForumIndexPage, "organisation", title=ORGANISATION_TITLE)
    return page


def forum(parent, slug, title=None, *, publish=True, **fields):
    """The forum `slug` under `parent`: an organisation page, or a section (its slug or page) whose organisation
    page is used. A new forum is a strategic council titled after its slug unless the fields say otherwise; an
    existing one (a demo forum) changes only in what is given."""
    if isinstance(parent, str):
        parent = section(parent)
    index = parent if issubclass(parent.specific_class, ForumIndexPage) else organisation(parent)
    if not index.get_children().filter(slug=slug).exists():
        fields = {"title": title or _title(slug), "kind": "rad", "level": "strategisk", **fields}
    elif title is not None:
        fields["title"] = title
    page, _created = upsert_child(index, ForumPage, slug, publish=publish, **fields)
    return _fresh(page)


def instruction(forum_page, slug, title=None, *, publish=True, **fields):
    """An instruction (uppdragsbeskrivning) under a forum; an adopted one ("antagen") gets the decision adopting it
    unless `adopted_by` is given."""
    is_new = not forum_page.get_children().filter(slug=slug).exists()
    if is_new and fields.get("status") == "antagen" and "adopted_by" not in fields:
        fields["adopted_by"] = decision()
    if is_new or title is not None:
        fields["title"] = title or _title(slug)
    page, _created = upsert_child(forum_page, InstructionPage, slug, publish=publish, **fields)
    return _fresh(page)


def record(
    forum_page,
    slug=None,
    *,
    date,
    paragraphs=(),
    attendances=(),
    agenda_items=(),
    status="genomfort",
    publish=True,
    **fields,
):
    """A meeting record (protokoll) of the forum, titled after the forum and the day unless `title` is given.

    `paragraphs`, `attendances` and `agenda_items` are dicts of their fields (see `paragraph`, `agenda_item`).
    publish=False: a draft that was never published, as an editor's new record is.
    """
    page = MeetingRecordPage(
        title=fields.pop("title", f"{forum_page.title} {date.isoformat()}"),
        slug=slug or date.isoformat(),
        meeting_date=date,
        status=status,
        live=publish,
        **fields,
    )
    page.paragraphs = [Paragraph(**values) for values in paragraphs]
    page.attendances = [Attendance(**values) for values in attendances]
    page.agenda_items = [AgendaItem(**values) for values in agenda_items]
    forum_page.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return _fresh(page)


def signers(prefix):
    """The chair and a justerare of a record, each a person with an admin login named `<prefix>-ordf`, `-justerare`:
    the attendance rows for `record(attendances=...)`."""
    rows = []
    for function, login, name in (("ordforande", "ordf", "Ordförande"), ("justerare", "justerare", "Justerare")):
        account = user(f"{prefix}-{login}")
        account.user_permissions.add(Permission.objects.get(codename="access_admin"))
        found = Person.objects.filter(user=account).first() or Person.objects.create(
            name=f"{name} {prefix.title()}", user=account
        )
        rows.append({"person": found, "kind": "beslutande", "function": function})
    return rows


def justera(page):
    """Take a draft record through the workflow as people do: the editor submits it, Granskning approves, and the
    chair and each justerare sign; the last signature justerar and publishes it. Needs `ensure_workflows`."""
    page = _fresh(page)
    page.get_latest_revision_as_object().save_revision(user=user("redaktor"))
    page.get_workflow().start(page, user("redaktor"))
    state = _fresh(page).current_workflow_task_state.specific
    state.task.specific.on_action(state, user("granskare"), "approve", comment="")
    for signer in _fresh(page).justering_users():
        state = _fresh(page).current_workflow_task_state.specific
        state.task.specific.on_action(state, signer, "approve", comment="")
    return _fresh(page)


def paragraph(number, title="Rubrik", **values):
    """The fields of one paragraph (§) of a record, for `record(paragraphs=...)`."""
    values.setdefault("decision", f"<p>Beslut i paragraf {number}.</p>")
    return {"number": number, "title": title, **values}


def agenda_item(title, **values):
    """The fields of one item of a planned meeting's föredragningslista, for `record(agenda_items=...)`."""
    return {"title": title, **values}


def secret_paragraph(number, title="Rubrik", reference="26 kap. 1 §", *, title_shown=False, **values):
    """The fields of a sekretess paragraph (OSL `reference`), for `record(paragraphs=...)`: read in full only by the
    forum's members and editors; `title_shown`: the editor allows everyone the title."""
    return paragraph(number, title, secret=True, secrecy_reference=reference, secret_title_shown=title_shown, **values)


def steering_index(parent, slug="test-styrdokument"):
    page, _created = upsert_child(parent, SteeringDocumentIndexPage, slug, title="Teststyrdokument")
    return page


def steering_document(index, title, **fields):
    """A steering document (styrdokument), by default an action plan."""
    fields.setdefault("kind", "handlingsplan")
    page, _created = upsert_child(index, SteeringDocumentPage, f"dok-{next(_numbers)}", title=title, **fields)
    return page


def dialogue_index(parent, slug="test-dialog", **fields):
    page, _created = upsert_child(parent, CitizenDialogueIndexPage, slug, title="Testdialoger", **fields)
    return page


def dialogue_report(index, title, actions=(), held_from=datetime.date(2026, 4, 1), **fields):
    """A citizen dialogue report; `actions` are dicts of DialogueAction fields."""
    page, _created = upsert_child(
        index, CitizenDialogueReportPage, f"rapport-{next(_numbers)}", title=title, held_from=held_from, **fields
    )
    if actions:
        page.actions = [DialogueAction(**action) for action in actions]
        page.save_revision().publish()
    return page


# --- registers ------------------------------------------------------------------------------------


def decision(body="Kommunstyrelsen", date=datetime.date(2020, 1, 1), **fields):
    return Decision.objects.create(body=body, date=date, **fields)


def case(number, title="Ett ärende", section_slug="mjolby"):
    """The case (ärende) `number` of the section, made if the register does not have it."""
    municipality = section(section_slug)
    return Case.lookup(municipality, number) or Case.objects.create(
        municipality=municipality, number=number, title=title
    )


def person(name, **fields):
    return Person.objects.create(name=name, **fields)


def member(forum_page, account, starts_on=None, ends_on=None, name=None, **fields):
    """A membership of the account's person (made if the account has none) in the forum; `fields` such as role."""
    found = Person.objects.filter(user=account).first() or person(name or account.username, user=account)
    return Membership.objects.create(forum=forum_page, person=found, starts_on=starts_on, ends_on=ends_on, **fields)


def seat(forum_page, person_, role="ledamot", **fields):
    """A membership of a person of the register (with or without a user account) in the forum."""
    return Membership.objects.create(forum=forum_page, person=person_, role=role, **fields)


def sign_justering(record, *usernames):
    """The record's chair and justerare sign in the workflow's justering step, one after the other, as each does
    with the button; the last signature justerar the record. Returns the record fresh from the database."""
    for username in usernames:
        record.refresh_from_db()
        state = record.current_workflow_task_state.specific
        state.task.specific.on_action(state, get_user_model().objects.get(username=username), "approve", comment="")
    return _fresh(record)


# --- files ---------------------------------------------------------------------------------------


def image(title="Fri bild", size=(8, 8), colour=(0, 90, 160)):
    """A PNG image in the image library, used by no page."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="bild.png"))


# --- the rows Wagtail's migrations make -------------------------------------------------------------


def restore_wagtail_roots():
    """A transactional test ends by emptying every table, the rows Wagtail's migrations made included (the root
    page, the root collection, the default locale); the next test's demo needs them, as a new database has them."""
    locale = Locale.objects.first() or Locale.objects.create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Page.objects.filter(depth=1).exists():
        Page.objects.create(
            title="Root",
            slug="root",
            content_type=ContentType.objects.get_for_model(Page),
            path="0001",
            depth=1,
            numchild=0,
            url_path="/",
            locale=locale,
        )
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


# --- users and restrictions -----------------------------------------------------------------------


def user(username, *groups):
    """The user `username` (made if missing), added to the named groups."""
    account, _created = get_user_model().objects.get_or_create(username=username)
    for name in groups:
        account.groups.add(Group.objects.get(name=name))
    return account


def group(name):
    return Group.objects.get_or_create(name=name)[0]


def restrict_to_groups(page, *groups):
    """Close the page to everyone outside the groups (a Wagtail view restriction)."""
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(groups)
    return restriction


# --- minutes as other programs write them ---------------------------------------------------------
# The PDF is written by hand (a few objects, Helvetica, WinAnsi) so the tests need no PDF library beyond the one
# the importer reads with.


def _pdf_string(text):
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def minutes_pdf(pages):
    """A PDF whose pages hold the given lines of text, top to bottom."""
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages_obj = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        stream = b"BT /F1 10 Tf 13 TL 50 800 Td " + b" ".join(_pdf_string(line) + b" Tj T*" for line in lines) + b" ET"
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                b"/Contents %d 0 R >>" % (pages_obj, font, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def minutes_docx(path, paragraphs, header_lines=(), footer_lines=()):
    """A .docx with the given (text, bold) paragraphs and a letterhead in the page header and footer."""
    document = docx.Document()
    page_section = document.sections[0]
    for line in header_lines:
        page_section.header.add_paragraph(line)
    for line in footer_lines:
        page_section.footer.add_paragraph(line)
    for text, bold in paragraphs:
        document.add_paragraph().add_run(text).bold = bold
    document.save(str(path))
    return path


def text_odt(headings_and_paragraphs, table_rows=()):
    """The bytes of an OpenDocument text (.odt) as LibreOffice writes one: ("h", text) headings and ("p", text)
    paragraphs in order, then a table of the given rows of cell texts."""
    document = opendocument.OpenDocumentText()
    for kind, line in headings_and_paragraphs:
        document.text.addElement(odf_text.H(outlinelevel=1, text=line) if kind == "h" else odf_text.P(text=line))
    if table_rows:
        grid = odf_table.Table(name="Tabell1")
        grid.addElement(odf_table.TableColumn(numbercolumnsrepeated=max(len(row) for row in table_rows)))
        for row in table_rows:
            table_row = odf_table.TableRow()
            for cell_text in row:
                cell = odf_table.TableCell()
                cell.addElement(odf_text.P(text=cell_text))
                table_row.addElement(cell)
            grid.addElement(table_row)
        document.text.addElement(grid)
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()


# --- the admin's edit form, as an editor posts it -------------------------------------------------


def edit_form(client, page: Page):
    """The page's admin edit form as an editor finds it: (response, mutable POST data)."""
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    specific = page.specific
    # Multi-selects with nothing chosen would be read as "first option": set them from the page itself.
    for name in ("reports_to", "gives_assignments_to", "replaces"):
        if hasattr(specific, name):
            data.setlist(name, [str(pk) for pk in getattr(specific, name).values_list("pk", flat=True)])
    # StreamFields are drawn by JavaScript, so their values are not in the HTML; the tests' records have empty
    # ones, which a browser sends as a count of zero.
    for index in range(int(data.get("paragraphs-TOTAL_FORMS", 0))):
        for stream in ("basis", "motions"):
            data.setdefault(f"paragraphs-{index}-{stream}-count", "0")
    return response, data


def add_inline(data, relation, values):
    """Append one row to an InlinePanel formset in POST data; returns its index."""
    index = int(data[f"{relation}-TOTAL_FORMS"])
    data[f"{relation}-TOTAL_FORMS"] = str(index + 1)
    data[f"{relation}-{index}-ORDER"] = str(index + 1)
    data[f"{relation}-{index}-DELETE"] = ""
    data[f"{relation}-{index}-id"] = ""
    for name, value in values.items():
        data[f"{relation}-{index}-{name}"] = str(value)
    return index


def add_membership(data, **fields):
    """Append one membership row to a forum's posted edit form."""
    row = {
        "person": "",
        "organisation": "",
        "role": "ledamot",
        "substitute_order": "",
        "starts_on": "",
        "ends_on": "",
        "note": "",
        **fields,
    }
    add_inline(data, "memberships", row)
    return data


def add_paragraph_row(data, **values):
    """Append one paragraph row to a record's posted edit form."""
    row = {
        "number": "",
        "title": "Ny paragraf",
        "case": "",
        "background": rich_text(""),
        "summary": rich_text(""),
        "basis-count": "0",
        "motions-count": "0",
        "proposal_heading": "",
        "proposal": rich_text(""),
        "decision_heading": "",
        "decision": rich_text("<p>Ett beslut.</p>"),
        "reservations": "",
        "disqualifications": "",
        "sent_to": "",
        "secrecy_reference": "",
        **values,
    }
    return add_inline(data, "paragraphs", row)


def publish(client, page, data):
    """Post the edit form with the publish action."""
    data["action-publish"] = "action-publish"
    return client.post(f"/admin/pages/{page.pk}/edit/", data)
