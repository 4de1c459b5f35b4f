"""Inställningar → Utseende as an editor meets it: colours below WCAG AA are refused with a Swedish message, the
rest change the pages at once; the name, the logo and the favicon appear in every page's head and header."""

import re

import pytest
from wagtail.models import Site

from safety_pages.models import Branding
from tests import builders

pytestmark = pytest.mark.django_db


def _settings_url():
    return f"/admin/settings/safety_pages/branding/{Site.objects.get(is_default_site=True).pk}/"


def _post(client, **changes):
    data = {
        "name": "",
        "logo": "",
        "favicon": "",
        "text_colour": "#1b1f24",
        "link_colour": "#0b4f8a",
        "header_colour": "#07335a",
        **changes,
    }
    return client.post(_settings_url(), data)


def test_an_editor_may_change_the_look_and_an_employee_may_not(demo, client_for):
    assert client_for("redaktor").get(_settings_url()).status_code == 200
    employee = client_for("medarbetare").get(_settings_url())
    assert employee.status_code in (302, 403)


def test_a_colour_failing_the_contrast_is_refused_with_a_swedish_message(demo, client_for):
    client = client_for("redaktor")
    response = _post(client, link_colour="#FFAA00")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Färgen #ffaa00 ger kontrasten 1,91:1 för länkar på vit bakgrund och vit text på knappar." in html
    assert "WCAG 2.1 AA kräver minst 4,5:1 för text" in html
    assert not Branding.objects.exists()
    assert "#ffaa00" not in client.get("/").content.decode()


def test_a_malformed_colour_is_refused(demo, client_for):
    html = _post(client_for("redaktor"), text_colour="blå").content.decode()
    assert "Ange färgen som # följt av sex hexadecimala siffror" in html
    assert not Branding.objects.exists()


def test_a_colour_that_passes_colours_every_page(demo, client_for):
    client = client_for("redaktor")
    response = _post(client, link_colour="#6A1B9A", name="Mjölby trygghet")
    assert response.status_code == 302
    html = client_for("medarbetare").get(builders.UTSKOTT_URL).content.decode()
    assert "--brand: #6a1b9a" in html and "--ink: #1b1f24" in html
    assert re.search(r"<title>[^<]* – Mjölby trygghet</title>", html)
    assert '<a class="site-header__brand" href="/">Mjölby trygghet</a>' in html


def test_reading_a_page_writes_no_branding_row(demo, client_for):
    """A GET must not create the setting (Wagtail's for_site would): a write bumps the content generation."""
    client_for("medarbetare").get("/")
    assert not Branding.objects.exists()


def test_the_logo_shows_with_the_site_name_as_alt_and_every_employee_may_load_it(demo, client_for):
    logo = builders.image("Kommunens logotyp", size=(120, 40))
    other = builders.image("Oanvänd bild")
    assert _post(client_for("redaktor"), logo=logo.pk, name="Trygga Mjölby").status_code == 302
    client = client_for("medarbetare")
    html = client.get("/").content.decode()
    src = re.search(r'<img alt="Trygga Mjölby" class="site-header__logo"[^>]* src="([^"]+)"', html).group(1)
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get(logo.file.url).status_code == 200
    # The rule is for the branding's images only: an image no page uses stays closed to employees.
    assert client.get(other.file.url).status_code == 404
    assert client_for("redaktor").get(other.file.url).status_code == 200


def test_the_logo_is_not_served_to_anonymous_visitors(demo, client, client_for):
    logo = builders.image("Logotyp")
    _post(client_for("redaktor"), logo=logo.pk)
    client.logout()
    assert client.get(logo.file.url).status_code == 302


def test_favicon_ico_redirects_to_the_default_icon_without_a_login(demo, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("intranet/favicon.svg")
    assert client.get(response["Location"]).status_code in (200, 404)  # static files: served by runserver only


def test_favicon_ico_serves_the_chosen_favicon_and_the_pages_link_it(demo, client, client_for):
    icon = builders.image("Ikon", size=(100, 100), colour=(200, 0, 0))
    assert _post(client_for("redaktor"), favicon=icon.pk).status_code == 302
    html = client.get("/").content.decode()
    assert f'<link rel="icon" href="/favicon.ico?v={icon.pk}" type="image/png">' in html
    client.logout()
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
