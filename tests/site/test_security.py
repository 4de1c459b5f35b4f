"""Security basics a user or an attacker would notice: CSRF, headers, uploads, rich text, login lockout."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from wagtail.documents.models import Document

from safety_pages.editing.sanitise import clean_rich_text

pytestmark = pytest.mark.django_db


# --- CSRF -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_login_forms_refuse_a_post_without_csrf_token(demo, url):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"username": "medarbetare", "password": "trygghet-demo"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_every_post_form_on_the_front_end_carries_a_csrf_token(demo, client_for):
    client = client_for("medarbetare")
    pages = ["/", "/mjolby/", "/sok/?q=trygghet"]
    forms = []
    for url in pages:
        html = client.get(url).content.decode()
        forms += re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S | re.I)
    html = Client().get("/login/").content.decode()
    forms += re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S | re.I)
    assert forms, "the logout and login forms at least"
    assert all("csrfmiddlewaretoken" in form for form in forms)


# --- Headers ----------------------------------------------------------------------------------------


def test_front_end_sends_a_strict_content_security_policy(demo, client_for):
    response = client_for("medarbetare").get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_admin_edit_page_renders_under_its_policy(demo, client_for):
    """Wagtail's widgets use inline init scripts: the admin's policy allows them, and only them, beyond 'self'."""
    response = client_for("admin").get(f"/admin/pages/{demo.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.+?)</script>", html, re.S)
    assert inline, "the date choosers' init scripts"
    script_src = re.search(r"script-src ([^;]*)", response["Content-Security-Policy"]).group(1).split()
    assert sorted(script_src) == sorted(["'self'", "'unsafe-inline'"])
    # Every script file comes from our own origin.
    assert not re.findall(r"<script[^>]*src=\"(?:https?:)?//", html)


# --- Uploads ----------------------------------------------------------------------------------------


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _upload(client, name, content, title="Bilaga"):
    return client.post(
        "/admin/documents/add/",
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


@pytest.mark.parametrize(
    "name,content",
    [("protokoll.pdf", b"%PDF-1.7\n%%EOF\n"), ("missiv.docx", None)],
)
def test_editor_uploads_pdf_and_docx(demo, client_for, name, content):
    response = _upload(client_for("redaktor"), name, content or _docx_bytes())
    assert response.status_code == 302
    assert Document.objects.filter(title="Bilaga").exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("skript.html", b"<script>alert(1)</script>", "Filändelsen"),
        ("program.exe", b"MZ\x90\x00", "Filändelsen"),
        ("bild.svg", b"<svg onload=alert(1)>", "Filändelsen"),
        ("falsk.pdf", b"<html><script>alert(1)</script>", "inte en giltig PDF-fil"),
        ("falsk.docx", b"%PDF-1.4 not a zip", "inte en giltig DOCX-fil"),
    ],
)
def test_uploads_of_other_types_are_refused_with_a_swedish_error(demo, client_for, name, content, message):
    response = _upload(client_for("redaktor"), name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.filter(title="Bilaga").exists()  # the demo has documents of its own


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_too_large_upload_is_refused_with_the_limit_named(demo, client_for):
    response = _upload(client_for("redaktor"), "stor.pdf", b"%PDF-1.7\n" + b"0" * 2048)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Filen är för stor" in html and "Maximal filstorlek 1,0\xa0kB" in html.replace("&nbsp;", "\xa0")
    assert not Document.objects.filter(title="Bilaga").exists()  # the demo has documents of its own


# --- Rich text --------------------------------------------------------------------------------------

HOSTILE = (
    '<p>Hej</p><script>alert("x")</script><p onclick="steal()">text</p>'
    '<p><a href="javascript:alert(1)">länk</a></p><img src="x" onerror="alert(1)"><iframe src="//evil"></iframe>'
)


def _assert_harmless(html):
    lowered = html.lower()
    for marker in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<img"):
        assert marker not in lowered, marker


def test_rich_text_written_by_code_is_cleaned_on_save(demo):
    section = demo.get_children().get(slug="mjolby").specific
    section.intro = HOSTILE
    section.save()
    section.refresh_from_db()
    _assert_harmless(section.intro)
    assert "Hej" in section.intro and "text" in section.intro


def test_rich_text_survives_the_editor_round_trip_without_script(demo, client_for):
    """What the editor loads from the database and posts back is what the admin stores."""
    section = demo.get_children().get(slug="mjolby").specific
    form_class = type(section).get_edit_handler().get_form_class()
    widget = form_class(instance=section, for_user=None).fields["intro"].widget
    posted = widget.format_value(HOSTILE)
    stored = widget.value_from_datadict({"intro": posted}, {}, "intro")
    _assert_harmless(stored)
    assert "Hej" in stored


def test_clean_rich_text_leaves_clean_html_exactly_as_it_is():
    html = '<p>Uppdrag enligt <b>KS § 174</b> och <a href="https://example.org/">lagen</a>.</p>'
    assert clean_rich_text(html) == html


def test_front_end_shows_cleaned_rich_text(demo, client_for):
    section = demo.get_children().get(slug="mjolby").specific
    section.intro = HOSTILE
    section.save_revision().publish()
    html = client_for("medarbetare").get("/mjolby/").content.decode()
    assert "steal()" not in html and 'alert("x")</script>' not in html


# --- Login rate limiting ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_repeated_wrong_passwords_lock_the_login_with_a_swedish_message(demo, url, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "medarbetare", "password": "fel"})
    response = client.post(url, {"username": "medarbetare", "password": "trygghet-demo"})
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_out_name_does_not_lock_out_others(demo, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "medarbetare", "password": "fel"})
    response = client.post("/login/", {"username": "granskare", "password": "trygghet-demo"})
    assert response.status_code == 302


def test_a_few_typos_do_not_lock_out(demo, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/login/", {"username": "medarbetare", "password": "fel"})
    response = client.post("/login/", {"username": "medarbetare", "password": "trygghet-demo"})
    assert response.status_code == 302
