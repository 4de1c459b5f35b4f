"""The intranet frame: login required everywhere, Swedish first, the demo loads twice alike."""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login_and_back(demo, client):
    response = client.get("/mjolby/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/mjolby/"


def test_login_page_is_swedish_and_returns_to_the_page_asked_for(demo, client):
    page = client.get("/login/?next=/mjolby/")
    assert page.status_code == 200
    assert '<html lang="sv">' in page.content.decode()
    assert "Logga in på Trygghetsportalen" in page.content.decode()
    response = client.post("/login/", {"username": "medarbetare", "password": "trygghet-demo", "next": "/mjolby/"})
    assert response.status_code == 302
    assert response["Location"] == "/mjolby/"


def test_wrong_password_gives_a_swedish_error_and_no_session(demo, client):
    response = client.post("/login/", {"username": "medarbetare", "password": "fel"})
    assert response.status_code == 200
    assert "användarnamn och lösenord" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_home_page_lists_the_municipalities_for_an_employee(demo, client_for):
    response = client_for("medarbetare").get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for municipality in ("Mjölby kommun", "Haninge kommun", "Linköpings kommun"):
        assert municipality in html
    # The accessible frame: skip link to the main landmark, search box with a label.
    assert 'href="#main"' in html and 'id="main"' in html
    assert '<label for="site-search-q"' in html


def test_english_catalogue_translates_the_frame(demo, client_for):
    client = client_for("medarbetare")
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html


def test_admin_is_served_to_the_editor(demo, client_for):
    response = client_for("redaktor").get("/admin/")
    assert response.status_code == 200


def test_health_check_answers_without_login(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_load_demo_twice_changes_nothing(demo):
    counts = (Page.objects.count(), get_user_model().objects.count(), _revision_count())
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
    assert (Page.objects.count(), get_user_model().objects.count(), _revision_count()) == counts


def _revision_count():
    from wagtail.models import Revision

    return Revision.objects.count()


def test_demo_users_exist_for_every_role(demo):
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert {"admin", "redaktor", "granskare", "medarbetare", "ledamot"} <= usernames


@override_settings(INTRANET_DEMO_ALLOWED=False)
def test_load_demo_refuses_to_run_in_production(db):
    with pytest.raises(CommandError, match="produktion"):
        call_command("load_demo", verbosity=0)


def test_load_demo_refuses_under_settings_that_do_not_mention_it(db, settings):
    """Refusal is the default: settings written without the flag (a new environment) get no demo logins."""
    del settings.INTRANET_DEMO_ALLOWED
    with pytest.raises(CommandError, match="INTRANET_DEMO_ALLOWED"):
        call_command("load_demo", verbosity=0)


def test_only_the_dev_and_test_settings_allow_the_demo():
    # The production settings refuse too; they need a secret key to import (tests/site/test_settings.py runs them).
    modules = {name: importlib.import_module(f"intranet.settings.{name}") for name in ("base", "dev", "test")}
    allowed = {name: module.INTRANET_DEMO_ALLOWED for name, module in modules.items()}
    assert allowed == {"base": False, "dev": True, "test": True}


def test_load_demo_names_a_missing_fixtures_folder(db, tmp_path):
    with pytest.raises(CommandError, match="site.json"):
        call_command("load_demo", fixtures=str(tmp_path))
