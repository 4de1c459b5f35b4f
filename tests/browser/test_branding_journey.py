"""The editor gives the intranet its look in Inställningar → Utseende: a logo from the image library, a name and a
link colour. A colour below WCAG AA contrast is refused with a Swedish message; a passing one colours the pages,
where an employee sees the logo (named by the site's name) and axe finds nothing at 1280 and 375 px."""

import io

import pytest

from tests.browser.conftest import WIDTHS, axe_violations, describe, screenshot

pytestmark = pytest.mark.browser

LOGO_TITLE = "Rönnbärslogotyp"
SITE_NAME = "Rönnbärsportalen"
FAILING = "#7fb2e5"  # 2.2:1 on white
PASSING = "#5b2a86"  # 10.9:1 on white


@pytest.fixture(scope="module")
def logo_image(live_server):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from safety_pages.models import Branding

    buffer = io.BytesIO()
    PILImage.new("RGB", (160, 48), (91, 42, 134)).save(buffer, "PNG")
    image = get_image_model().objects.create(title=LOGO_TITLE, file=ImageFile(buffer, name="ronnbar.png"))
    yield image
    # Leave the demo as it was loaded.
    Branding.objects.all().delete()
    image.delete()


def _settings_path():
    from wagtail.models import Site

    return f"/admin/settings/safety_pages/branding/{Site.objects.get(is_default_site=True).pk}/"


def _save(page):
    """Press Spara and wait for the server's answer to the form, then for the page it answers with."""

    def is_answer(response):
        return response.request.method == "POST" and "/admin/settings/" in response.url

    with page.expect_navigation(), page.expect_response(is_answer) as answer:
        page.locator("form button[type='submit']", has_text="Spara").first.click()
    return answer.value


def test_the_editor_changes_the_logo_and_a_colour_and_a_failing_contrast_is_refused(open_page, logo_image):
    editor = open_page("redaktor", 1280)
    assert editor.goto(_settings_path()).status == 200
    editor.fill("#id_name", SITE_NAME)
    editor.locator("#id_logo-chooser [data-chooser-action-choose]").first.click()
    editor.locator(f".modal [data-chooser-modal-choice][title$='{LOGO_TITLE}']").first.click()
    editor.locator("#id_logo-chooser [data-chooser-title]", has_text=LOGO_TITLE).wait_for()
    editor.fill("#id_link_colour", FAILING)
    assert editor.input_value("#id_link_colour") == FAILING
    refused = _save(editor)
    # Refused: the form comes back (200) with its message, rather than a redirect to the saved settings.
    assert refused.status == 200, f"the failing colour was answered with {refused.status}"
    error = editor.locator("[data-field-errors]", has_text="WCAG 2.1 AA kräver minst 4,5:1")
    error.wait_for()
    assert "Färgen #7fb2e5 ger kontrasten" in error.inner_text()
    # The form keeps what was typed and chosen, so the editor corrects only the colour.
    assert editor.input_value("#id_name") == SITE_NAME
    violations = axe_violations(editor)
    screenshot(editor, "admin-branding-refused", 1280)
    assert violations == [], f"the settings form with its message:\n{describe(violations)}"
    editor.fill("#id_link_colour", PASSING)
    _save(editor)
    editor.locator(".messages .success").wait_for()

    for width in WIDTHS:
        reader = open_page("medarbetare", width)
        assert reader.goto("/mjolby/").status == 200
        logo = reader.get_by_role("img", name=SITE_NAME)
        logo.wait_for()
        reader.wait_for_function("document.querySelector('img.site-header__logo').naturalWidth > 0")
        link_colour = reader.evaluate("getComputedStyle(document.querySelector('.breadcrumbs a')).color")
        assert link_colour == "rgb(91, 42, 134)"
        assert reader.title().endswith(f"– {SITE_NAME}")
        violations = axe_violations(reader)
        screenshot(reader, "branding-section", width)
        assert violations == [], f"/mjolby/ at {width} px:\n{describe(violations)}"
