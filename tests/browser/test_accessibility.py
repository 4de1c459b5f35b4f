"""WCAG 2.0/2.1 A and AA (axe-core) on every front-end page type of the demo, at desktop and phone width.

Zero violations are allowed on the front end. Each page is also photographed at
1280 and 375 px into test-artifacts/screenshots/ for a person to look at.
"""

import pytest

from .conftest import WIDTHS, axe_violations, describe, screenshot

pytestmark = pytest.mark.browser

UTSKOTT = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"

# (name, reader, path, text the page must show): one of each page type, read by whom it is for.
FRONT_END_PAGES = [
    ("home", "medarbetare", "/", "Trygghetsportalen"),
    ("section", "medarbetare", "/mjolby/", "Mjölby kommun"),
    ("forum-index-with-diagram", "medarbetare", "/mjolby/organisation/", "Organisationsbild"),
    ("forum", "medarbetare", UTSKOTT, "Kommunstyrelsens trygghets- och säkerhetsutskott"),
    ("instruction", "medarbetare", UTSKOTT + "uppdragsbeskrivning-2017/", "Uppdragsbeskrivning"),
    ("record", "medarbetare", UTSKOTT + "2017-09-13/", "Trygghets- och säkerhetsutskottet 2017-09-13"),
    ("record-not-justerat", "ledamot", UTSKOTT + "2026-11-11/", "Trygghets- och säkerhetsutskottet 2026-11-11"),
    ("paragraph-extract", "medarbetare", UTSKOTT + "2017-09-13/paragraf/35/", "§ 35"),
    ("case", "medarbetare", "/arenden/mjolby/ks-2017-152/", "KS/2017:152"),
    ("dialogue-index", "medarbetare", "/mjolby/medborgardialog/", "Medborgardialog om trygghet och säkerhet"),
    ("dialogue-report", "medarbetare", "/mjolby/medborgardialog/medborgardialog-2026/", "Medborgardialog om trygghet"),
    ("steering-index", "medarbetare", "/mjolby/styrdokument/", "Styrdokument"),
    (
        "steering-document",
        "medarbetare",
        "/mjolby/styrdokument/samverkansoverenskommelse-polisen/",
        "Samverkansöverenskommelse",
    ),
    ("search-results-and-facets", "medarbetare", "/sok/?q=trygghet&type=steeringdocumentpage", "Avgränsa"),
    ("search-no-results", "medarbetare", "/sok/?q=qqxyzzy", "Tips"),
    ("tag", "medarbetare", "/etiketter/samverkan/", "samverkan"),
    ("login", None, "/login/", "Logga in på Trygghetsportalen"),
]


@pytest.mark.parametrize(("name", "reader", "path", "text"), FRONT_END_PAGES, ids=[p[0] for p in FRONT_END_PAGES])
def test_front_end_page_has_no_wcag_violations(open_page, name, reader, path, text):
    for width in WIDTHS:
        page = open_page(reader, width)
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert text in page.inner_text("main"), f"{path} does not show {text!r}"
        assert page.evaluate("document.documentElement.lang") == "sv"
        violations = axe_violations(page)
        screenshot(page, name, width)
        assert violations == [], f"{path} at {width} px:\n{describe(violations)}"
