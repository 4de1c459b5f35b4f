"""Layout a reader notices (issue 23): the organisation diagram fits its box or says it scrolls, its boxes lead to
the forums, tag cards keep long compounds inside, the calendar address can be copied with one press."""

import pytest

pytestmark = pytest.mark.browser

ORGANISATION = "/mjolby/organisation/"


def test_the_organisation_diagram_fits_its_box_at_desktop_width(open_page):
    page = open_page("medarbetare", 1280)
    page.goto(ORGANISATION)
    box = page.locator(".org-figure__picture")
    sizes = box.evaluate("b => ({scroll: b.scrollWidth, client: b.clientWidth})")
    assert sizes["scroll"] <= sizes["client"], sizes
    assert page.locator("#diagram-hint").is_hidden()
    # Every forum on the demo's picture is there, Krishanteringsrådet and LAG Mantorp included, inside the box.
    for title in ("Krishanteringsrådet", "LAG Mantorp"):
        node = page.locator("a.org-node", has_text=title)
        right = node.evaluate("n => n.getBoundingClientRect().right")
        assert right <= box.evaluate("b => b.getBoundingClientRect().right"), title


def test_a_diagram_box_leads_to_its_forum(open_page):
    page = open_page("medarbetare", 1280)
    page.goto(ORGANISATION)
    with page.expect_navigation():
        page.locator("a.org-node", has_text="Krishanteringsrådet").click()
    assert page.url.endswith("/mjolby/organisation/krishanteringsradet/")
    assert page.locator("h1").inner_text() == "Krishanteringsrådet"


def test_on_a_phone_the_diagram_scrolls_and_says_so(open_page):
    page = open_page("medarbetare", 375)
    page.goto(ORGANISATION)
    box = page.locator(".org-figure__picture")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    hint = page.locator("#diagram-hint")
    hint.wait_for(state="visible")
    assert "rulla i sidled" in hint.inner_text()
    assert box.get_attribute("aria-describedby") == "diagram-hint"


@pytest.mark.parametrize("width", [1280, 375])
def test_tag_cards_keep_long_compounds_inside(open_page, width):
    page = open_page("medarbetare", width)
    page.goto("/etiketter/samverkan/")
    assert page.locator(".card-list").get_attribute("lang") == "sv"
    cards = page.locator(".card")
    assert cards.count() > 0
    spilling = page.evaluate(
        """() => [...document.querySelectorAll('.card')]
             .filter(card => [...card.querySelectorAll('h2, h3, p')].some(el => el.scrollWidth > el.clientWidth
                 || el.getBoundingClientRect().right > card.getBoundingClientRect().right))
             .map(card => card.innerText)"""
    )
    assert spilling == []
    assert page.locator(".card h2").first.evaluate("h => getComputedStyle(h).hyphens") == "auto"


def test_on_a_phone_the_forum_page_shows_meetings_and_records_before_the_members(open_page):
    page = open_page("medarbetare", 375)
    page.goto("/mjolby/organisation/trygghets-och-sakerhetsutskottet/")
    meetings = page.locator("#meetings-heading").evaluate("h => h.getBoundingClientRect().top")
    members = page.locator("#members-heading").evaluate("h => h.getBoundingClientRect().top")
    assert meetings < members


def test_the_calendar_address_is_copied_with_one_press_and_the_copy_announced(open_page):
    page = open_page("medarbetare", 1280)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/mjolby/organisation/trygghets-och-sakerhetsutskottet/")
    page.locator("summary", has_text="Prenumerera på kalendern").click()
    button = page.get_by_role("button", name="Kopiera adressen")
    button.click()
    page.locator(".copy-field__status", has_text="Adressen är kopierad.").wait_for()
    address = page.locator("#calendar-address").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert page.locator("a[href^='webcal://']").get_attribute("href") == "webcal:" + address.split(":", 1)[1]


def test_on_a_phone_the_search_hits_come_first_and_the_filters_open_on_demand(open_page):
    page = open_page("medarbetare", 375)
    page.goto("/sok/?q=trygghet&type=forumpage")
    toggle = page.get_by_text("Filtrera", exact=False).first
    toggle.wait_for()
    assert "(1 valt)" in toggle.inner_text()
    checkbox = page.locator(".search-facets input[type=checkbox]").first
    assert checkbox.is_hidden()
    # The first hit is on the first screen, not 1 500 px down below the checkboxes.
    first_hit = page.locator("#results .result").first
    assert first_hit.evaluate("hit => hit.getBoundingClientRect().top") < 900
    toggle.click()
    checkbox.wait_for(state="visible")
    desktop = open_page("medarbetare", 1280)
    desktop.goto("/sok/?q=trygghet")
    desktop.locator(".search-facets input[type=checkbox]").first.wait_for(state="visible")
    assert desktop.locator(".search-facets__toggle").is_hidden()
