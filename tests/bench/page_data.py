"""The data of `make bench`: a municipality of its own beside the demo, and the pages to measure.

Benchby kommun has an organisation of 30 forums, one forum with 50 members and 20 meetings, a record with
40 paragraphs, and a case handled at 10 meetings; beside them a plain Wagtail page (the baseline) and one demo
page of each other front-end type that the demo employee may read.
"""

import datetime

from django.contrib.auth import get_user_model
from wagtail.models import Page

from safety_pages.access import visibility
from safety_pages.models import (
    Attendance,
    Case,
    CitizenDialogueIndexPage,
    CitizenDialogueReportPage,
    Decision,
    ForumIndexPage,
    ForumPage,
    HomePage,
    InstructionPage,
    MeetingRecordPage,
    Membership,
    Organisation,
    Paragraph,
    Person,
    SectionPage,
    SteeringDocumentIndexPage,
    SteeringDocumentPage,
)

EMPLOYEE = "medarbetare"
SECTION_SLUG = "benchby"


def generate(out):
    """The sizes of issue 7 in a municipality of their own; returns {label: path} of the pages to measure."""
    home = HomePage.objects.first()
    section = home.add_child(
        instance=SectionPage(title="Benchby kommun", slug=SECTION_SLUG, municipality="Benchby kommun")
    )
    section.save_revision().publish()
    index = section.add_child(
        instance=ForumIndexPage(title="Organisation för trygghet och säkerhet", slug="organisation")
    )
    index.save_revision().publish()

    def forum(slug, title, **fields):
        page = index.add_child(instance=ForumPage(title=title, slug=slug, **fields))
        page.save_revision().publish()
        return ForumPage.objects.get(pk=page.pk)

    board = forum("kommunstyrelsen", "Kommunstyrelsen", kind="namnd", level="politisk")
    council = forum("trygghetsradet", "Trygghetsrådet", kind="rad", level="strategisk", meetings_per_year_min=4)
    council.reports_to.add(board)
    levels = ["strategisk", "taktisk", "operativ"]
    others = []
    for n in range(28):  # 30 forums in all, in a tree of reporting and assignment lines
        parent = council if n < 6 else others[n % 6]
        page = forum(
            f"forum-{n}",
            f"Lokal arbetsgrupp {n} i Benchby",
            kind="lokal_arbetsgrupp",
            level=levels[min(2, n // 6)],
            locality=f"Ort {n}",
        )
        page.reports_to.add(parent)
        if n % 5 == 0:
            page.gives_assignments_to.add(board)
        page.save_revision().publish()
        others.append(page)
    council.save_revision().publish()

    organisation = Organisation.objects.create(name="Benchby kommun, förvaltningen")
    people = [Person.objects.create(name=f"Person {n} Benchsson", organisation=organisation) for n in range(50)]
    council.memberships = [
        Membership(
            person=person,
            organisation=organisation,
            role="ordforande" if n == 0 else ("ersattare" if n >= 30 else "ledamot"),
            substitute_order=n - 29 if n >= 30 else None,
        )
        for n, person in enumerate(people)
    ]
    council.save_revision().publish()
    adopted = Decision.objects.create(body="Kommunstyrelsen", date=datetime.date(2025, 1, 1))
    instruction = council.add_child(
        instance=InstructionPage(
            title="Uppdragsbeskrivning för Trygghetsrådet",
            slug="uppdrag",
            status="antagen",
            ordinary_seats=30,
            substitute_seats=20,
            adopted_by=adopted,
        )
    )
    instruction.save_revision().publish()

    cases = [
        Case.objects.create(municipality=section, number=f"KS/2030:{n + 1}", title=f"Ärende {n + 1}") for n in range(40)
    ]
    today = datetime.date.today()
    records = []
    for m in range(20):
        held = m < 16
        date = today + datetime.timedelta(days=14 * (m - 16 if held else m - 15))
        record = MeetingRecordPage(
            title=f"Trygghetsrådet {date}",
            slug=f"{date}",
            meeting_date=date,
            status="genomfort" if held else "planerat",
            adjusted_on=date + datetime.timedelta(days=5) if held else None,
        )
        # The last held meeting has the 40 paragraphs; the others handle case 1 again (the case page).
        count = 40 if m == 15 else (1 if held else 0)
        record.paragraphs = [
            Paragraph(
                number=100 + n,
                title=f"Ärende {n + 1}: trygghetsåtgärder i Ort {n}",
                case=cases[n if count == 40 else 0],
                background=f"<p>Bakgrund till ärende {n + 1}. Polisen och kommunen har tagit fram en lägesbild.</p>",
                proposal="<p>Förvaltningen föreslår att rådet godkänner redovisningen.</p>",
                decision="<p>Rådet beslutar att godkänna redovisningen.</p>",
                motions=[{"type": "motion", "value": {"who": "Person 1 Benchsson", "party": "S", "motion": "Bifall"}}],
                sent_to="Kommunstyrelsen\nAkten",
            )
            for n in range(count)
        ]
        record.attendances = (
            [
                Attendance(person=person, kind="beslutande", function="ordforande" if n == 0 else "")
                for n, person in enumerate(people[:30])
            ]
            if held
            else []
        )
        council.add_child(instance=record)
        record.save_revision().publish()
        records.append(record)
    big = records[15]

    minimal = home.add_child(instance=Page(title="Minimal Wagtail-sida", slug="minimal-wagtail-sida"))
    minimal.save_revision().publish()
    out(
        f"Generated: 30 forums, a forum with 50 members and 20 meetings, a record with 40 paragraphs "
        f"({Page.objects.count()} pages in all)"
    )
    return {
        "no page: /healthz (floor)": "/healthz",
        "minimal Wagtail page": minimal.url,
        "forum index (30 forums)": index.url,
        "forum (50 members, 20 meetings)": council.url,
        "record (40 paragraphs)": big.url,
        "paragraph extract": f"{big.url}paragraf/117/",
        "case page (10 meetings)": cases[0].get_absolute_url(),
        "instruction": instruction.url,
    }


def demo_pages(out):
    """One demo page of each other front-end type that the employee may read."""
    employee = get_user_model().objects.get(username=EMPLOYEE)
    pages = {}
    for label, model in (
        ("home", HomePage),
        ("section", SectionPage),
        ("dialogue index", CitizenDialogueIndexPage),
        ("dialogue report", CitizenDialogueReportPage),
        ("steering index", SteeringDocumentIndexPage),
        ("steering document", SteeringDocumentPage),
    ):
        page = visibility.visible(model.objects.exclude(slug=SECTION_SLUG), employee).order_by("path").first()
        if page is not None:
            pages[label] = page.url
    return pages
