"""WCAG 2.0/2.1 A and AA (axe-core) on every front-end page type of the demo, at desktop and phone width.

Zero violations are allowed on the front end. Each page is also photographed at
1280 and 375 px into test-artifacts/screenshots/ for a person to look at.
"""

import pytest

from safety_pages.models import Person
from tests.browser.conftest import WIDTHS, axe_violations, describe, screenshot

pytestmark = pytest.mark.browser

UTSKOTT = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"


def person_page(name):
    """A person page's address: its id is the demo's, known once the demo is loaded."""
    return lambda: Person.objects.get(name=name).get_absolute_url()


# (name, reader, path, text the page must show): one of each page type, read by whom it is for.
FRONT_END_PAGES = [
    ("home", "medarbetare", "/", "Kommande sammanträden"),
    # The start page per role: a member's forums, an editor's tasks first.
    ("home-member", "ledamot", "/", "Mina forum"),
    ("home-editor", "redaktor", "/", "Att göra"),
    # The rest of the demo's roles: a reviewer, the chair (she signs the justering; no seat of her own), the admin.
    ("home-reviewer", "granskare", "/", "Väntar på din granskning"),
    ("home-chair", "ordforande", "/", "Protokoll som väntar på din justering"),
    ("home-administrator", "admin", "/", "Kommande sammanträden"),
    ("section", "medarbetare", "/mjolby/", "Mjölby kommun"),
    ("forum-index-with-diagram", "medarbetare", "/mjolby/organisation/", "Organisationsbild"),
    ("forum", "medarbetare", UTSKOTT, "Kommunstyrelsens trygghets- och säkerhetsutskott"),
    ("instruction", "medarbetare", UTSKOTT + "uppdragsbeskrivning-2017/", "Uppdragsbeskrivning"),
    ("record", "medarbetare", UTSKOTT + "2017-09-13/", "Trygghets- och säkerhetsutskottet 2017-09-13"),
    ("record-not-justerat", "ledamot", UTSKOTT + "2026-11-11/", "Trygghets- och säkerhetsutskottet 2026-11-11"),
    # The planned meeting as its secretary sees it: the expected attendance below the kallelse.
    ("record-planned-secretary", "redaktor", UTSKOTT + "2026-12-09/", "Förväntad närvaro"),
    ("paragraph-extract", "medarbetare", UTSKOTT + "2017-09-13/paragraf/35/", "§ 35"),
    ("case", "medarbetare", "/arenden/mjolby/ks-2017-152/", "KS/2017:152"),
    # Present at meetings and presenting paragraphs (its tables), in no forum (the notice instead).
    ("person", "medarbetare", person_page("Helena Westman"), "§ 35"),
    ("dialogue-index", "medarbetare", "/mjolby/medborgardialog/", "Medborgardialog om trygghet och säkerhet"),
    ("dialogue-report", "medarbetare", "/mjolby/medborgardialog/medborgardialog-2026/", "Medborgardialog om trygghet"),
    ("steering-index", "medarbetare", "/mjolby/styrdokument/", "Styrdokument"),
    (
        "steering-document",
        "medarbetare",
        "/mjolby/styrdokument/samverkansoverenskommelse-polisen/",
        "Samverkansöverenskommelse",
    ),
    # "Träffar": on a phone the filters (Avgränsa) are folded into their Filtrera control.
    ("search-results-and-facets", "medarbetare", "/sok/?q=trygghet&type=steeringdocumentpage", "Träffar"),
    ("search-no-results", "medarbetare", "/sok/?q=qqxyzzy", "Tips"),
    ("tag", "medarbetare", "/etiketter/samverkan/", "samverkan"),
    ("my-follows", "medarbetare", "/bevakningar/", "Mina bevakningar"),
    ("login", None, "/login/", "Logga in på Trygghetsportalen"),
]


@pytest.mark.parametrize(("name", "reader", "path", "text"), FRONT_END_PAGES, ids=[p[0] for p in FRONT_END_PAGES])
def test_front_end_page_has_no_wcag_violations(open_page, name, reader, path, text):
    path = path() if callable(path) else path
    for width in WIDTHS:
        page = open_page(reader, width)
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert text in page.inner_text("main"), f"{path} does not show {text!r}"
        assert page.evaluate("document.documentElement.lang") == "sv"
        violations = axe_violations(page)
        screenshot(page, name, width)
        assert violations == [], f"{path} at {width} px:\n{describe(violations)}"


def test_the_forhinder_form_reached_from_the_meeting_page_has_no_wcag_violations(open_page):
    """A member follows *Anmäl förhinder* on the demo's planned meeting to the confirm form (meetings.md)."""
    for width in WIDTHS:
        page = open_page("ledamot", width)
        page.goto(UTSKOTT + "2026-12-09/")
        page.get_by_role("link", name="Anmäl förhinder").click()
        page.wait_for_url("**/forhinder/**")
        assert "Jag har förhinder" in page.inner_text("main")
        assert page.evaluate("document.documentElement.lang") == "sv"
        violations = axe_violations(page)
        screenshot(page, "forhinder", width)
        assert violations == [], f"förhinder at {width} px:\n{describe(violations)}"


# --- the admin -------------------------------------------------------------------------------------

# Violations that come from Wagtail itself, not from our panels; README ("Accessibility and browser tests")
# lists them with the same references. Matched by rule and a marker in the offending element's HTML.
KNOWN_WAGTAIL_VIOLATIONS = {
    # Draftail's contenteditable textbox is not named by the field's <label> (which points at a hidden input).
    ("aria-input-field-name", "public-DraftEditor-content"): "https://github.com/wagtail/wagtail/issues/14205",
    # The tag field's text input, added by the unmaintained jQuery tag-it widget, has no label.
    ("label", "ui-autocomplete-input"): "https://github.com/wagtail/wagtail/issues/2952",
}
# Reported only now and then: axe decides from rendered fonts whether the text is an icon ligature, so it
# depends on when the admin's fonts have loaded. Wagtail's Swedish catalogue names the status link "Synlig för
# alla. Besök live-sidan" while it shows "Publicerad" (WCAG 2.5.3 Label in Name; English "Live" / "… Visit the
# live page" agree). No upstream issue for the Swedish string; the same link's name was fixed in #12611.
INTERMITTENT_WAGTAIL_VIOLATIONS = {
    ("label-content-name-mismatch", "page-status-tag"): "https://github.com/wagtail/wagtail/issues/12611",
}

# Every page type of safety_pages, each edited in the admin by the editor.
PAGE_TYPES = [
    "HomePage",
    "SectionPage",
    "ForumIndexPage",
    "ForumPage",
    "InstructionPage",
    "MeetingRecordPage",
    "CitizenDialogueIndexPage",
    "CitizenDialogueReportPage",
    "SteeringDocumentIndexPage",
    "SteeringDocumentPage",
]


def _known(rule, html):
    known = KNOWN_WAGTAIL_VIOLATIONS.keys() | INTERMITTENT_WAGTAIL_VIOLATIONS.keys()
    return next((key for key in known if key[0] == rule and key[1] in html), None)


def test_every_page_type_is_checked_in_the_admin():
    from django.apps import apps
    from wagtail.models import Page

    models = apps.get_app_config("safety_pages").get_models()
    assert sorted(m.__name__ for m in models if issubclass(m, Page)) == sorted(PAGE_TYPES)


def _edit_form_violations(page, edit_url):
    """axe on each tab of the edit form in turn (a hidden tab's fields are not checked), deduplicated."""
    response = page.goto(edit_url)
    assert response.status == 200
    assert page.locator("form[data-edit-form]").count() == 1, f"{edit_url} shows no edit form"
    found = {}
    tabs = page.locator("[role='tab']")
    for index in range(max(tabs.count(), 1)):
        if tabs.count():
            tabs.nth(index).click()
            panel = tabs.nth(index).get_attribute("aria-controls")
            page.locator(f"#{panel}").wait_for(state="visible")
        for violation in axe_violations(page):
            for node in violation["nodes"]:
                found.setdefault((violation["id"], node["target"]), node["html"])
    return found


def test_admin_edit_forms_have_exactly_the_known_wagtail_violations(open_page):
    """Each page type's edit form, every tab, as the editor: nothing of ours, and each known Wagtail one still
    there (when Wagtail fixes one, this fails: take it off the list here and in the README)."""
    from django.apps import apps

    page = open_page("redaktor", 1280)
    ours, seen = {}, set()
    for type_name in PAGE_TYPES:
        instance = apps.get_model("safety_pages", type_name).objects.order_by("path").first()
        assert instance is not None, f"the demo has no {type_name}"
        found = _edit_form_violations(page, f"/admin/pages/{instance.pk}/edit/")
        screenshot(page, f"admin-{type_name}", 1280)
        for (rule, target), html in found.items():
            known = _known(rule, html)
            if known is None:
                ours.setdefault(type_name, []).append({"rule": rule, "target": target, "html": html[:300]})
            seen.add(known)
    assert ours == {}, f"violations in edit forms that are not Wagtail's known ones:\n{describe(ours)}"
    assert seen - set(INTERMITTENT_WAGTAIL_VIOLATIONS) == set(KNOWN_WAGTAIL_VIOLATIONS)
