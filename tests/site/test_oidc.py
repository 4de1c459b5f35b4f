"""Single sign-on through a real OpenID provider (oidc-provider from npm, started on 127.0.0.1 by tests/oidc.py).

The Django test client is the browser on our side, a requests session its cookies at the provider: the login form
there is filled and posted as a person would. Proves: a member logs in and gets the groups her directory groups map
to (added and removed, unmapped groups kept); the user name comes from preferred_username or sub; logout ends both
sessions; a refused login (our client's secret wrong, an expired token, a token for another service, a tampered
signature, a forged return) logs no one in and says why in Swedish; with OIDC_ISSUER unset nothing changes; the local
login and django-axes keep working beside it.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from jwt import InvalidAudienceError, InvalidSignatureError

from intranet.oidc import DirectoryBackend
from intranet.settings.base import group_map
from tests import builders, oidc

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://testserver"
REFUSED = "Inloggningen med kommunens konto misslyckades"
READERS = "Läsare Trygghetsrådet"
EDITORS = "Redaktörer Trygghetsrådet"
LOCAL = "Lokal roll som katalogen inte känner"
GROUP_MAP = {"SG-Trygghet-Lasare": (READERS,), "SG-Trygghet-Redaktorer": (EDITORS,)}
USERS = {
    "3f9a0c1e": oidc.user(
        {
            "preferred_username": "anna.lindqvist",
            "email": "anna.lindqvist@mjolby.example",
            "given_name": "Anna",
            "family_name": "Lindqvist",
            "groups": ["SG-Trygghet-Lasare", "SG-Alla-Medarbetare"],
        }
    ),
    # A directory that gives no user name: the subject is the name.
    "b71c55d2": oidc.user({"email": "utan.namn@mjolby.example", "groups": []}),
}


@pytest.fixture(scope="module")
def provider():
    with oidc.provider(USERS, [BASE]) as started:
        yield started


@pytest.fixture
def sso(provider):
    with oidc.settings_for(provider, OIDC_GROUP_MAP=GROUP_MAP):
        yield provider


def log_in(client, username, *, next_path="/"):
    """Through the login page's link, the provider's form and back. Returns our answer to the provider's return."""
    start = client.get(f"/login/kommunen/?next={next_path}")
    assert start.status_code == 302
    returned = oidc.sign_in(requests.Session(), start["Location"], username, until=BASE)
    assert isinstance(returned, str), f"the provider did not send {username} back: {returned.text[:500]}"
    return client.get(returned)


def logged_in_user(client):
    return client.get("/").wsgi_request.user


def test_a_member_logs_in_through_the_provider_and_holds_the_group_her_directory_group_maps_to(client, sso):
    builders.group(READERS)
    builders.group(EDITORS)
    login_page = client.get("/login/").content.decode()
    assert "Logga in med kommunens konto" in login_page
    assert 'id="id_password"' in login_page  # The local login stays beside it.

    response = log_in(client, "3f9a0c1e", next_path="/mjolby/")

    assert response.status_code == 302 and response["Location"] == "/mjolby/"
    user = logged_in_user(client)
    assert user.username == "anna.lindqvist"
    assert (user.email, user.get_full_name()) == ("anna.lindqvist@mjolby.example", "Anna Lindqvist")
    # Her other directory group maps to nothing here: it gives no group.
    assert set(user.groups.values_list("name", flat=True)) == {READERS}
    assert not user.has_usable_password()


def test_each_login_sets_the_mapped_groups_from_the_directory_and_leaves_local_roles(client, sso):
    # Since her last login she left the editors in the directory and joined the readers; a local role was given here.
    account = builders.user("anna.lindqvist")
    for name in (EDITORS, LOCAL):
        account.groups.add(builders.group(name))
    builders.group(READERS)

    log_in(client, "3f9a0c1e")

    assert set(logged_in_user(client).groups.values_list("name", flat=True)) == {READERS, LOCAL}
    assert get_user_model().objects.filter(username="anna.lindqvist").count() == 1


def test_an_account_deactivated_here_is_logged_out_at_its_next_request(client, sso):
    log_in(client, "3f9a0c1e")
    get_user_model().objects.filter(username="anna.lindqvist").update(is_active=False)

    assert not logged_in_user(client).is_authenticated
    # Nor can the directory log her in again.
    again = log_in(client, "3f9a0c1e")
    assert again["Location"] == "/login/" and not logged_in_user(client).is_authenticated


def test_without_preferred_username_the_subject_is_the_user_name(client, sso):
    log_in(client, "b71c55d2")

    assert logged_in_user(client).username == "b71c55d2"


def test_logout_ends_the_session_here_and_at_the_provider(client, sso):
    provider_session = requests.Session()
    start = client.get("/login/kommunen/")
    client.get(oidc.sign_in(provider_session, start["Location"], "3f9a0c1e", until=BASE))
    assert logged_in_user(client).is_authenticated

    response = client.post("/logout/")

    assert not logged_in_user(client).is_authenticated
    end_session = sso.discovery()["end_session_endpoint"]
    assert response["Location"].startswith(end_session + "?")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["post_logout_redirect_uri"] == [f"{BASE}/login/"]
    assert query["id_token_hint"][0].count(".") == 2
    # The provider asks to confirm; yes sends the browser back to our login page.
    confirm = provider_session.get(response["Location"], timeout=10)
    assert "Logga ut från kommunens konto" in confirm.text
    action, hidden = oidc.form_of(confirm.text)
    done = provider_session.post(action, data={**hidden, "logout": "yes"}, allow_redirects=False, timeout=10)
    assert done.headers["Location"] == f"{BASE}/login/"
    # Signed out there too: the next login asks for the password again.
    again = oidc.follow(provider_session, client.get("/login/kommunen/")["Location"], until=BASE)
    assert not isinstance(again, str) and 'name="password"' in again.text


def _refused(client, response, caplog, reason):
    """Back on the login page, not logged in, told so in Swedish; the log says why, for the IT support."""
    assert reason in caplog.text
    assert response.status_code == 302 and response["Location"] == "/login/"
    page = client.get("/login/")
    assert REFUSED in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated


def test_a_client_secret_the_provider_refuses_logs_no_one_in_and_says_so(client, sso, caplog):
    with override_settings(OIDC_RP_CLIENT_SECRET="fel-hemlighet"):
        response = log_in(client, "3f9a0c1e")

    _refused(client, response, caplog, "invalid_client")
    assert not get_user_model().objects.filter(username="anna.lindqvist").exists()


def test_an_expired_id_token_logs_no_one_in(client, caplog):
    # A provider whose clock runs 20 minutes behind issues id_tokens (10 minutes long) that have already expired.
    with oidc.provider(USERS, [BASE], clock_offset_seconds=-1200) as late, oidc.settings_for(late):
        response = log_in(client, "3f9a0c1e")

    _refused(client, response, caplog, "Signature has expired")


def test_a_forged_return_logs_no_one_in(client, sso, caplog):
    client.get("/login/kommunen/")

    _refused(client, client.get(oidc.CALLBACK + "?code=stulen&state=pahittad"), caplog, "state not found")


def test_the_provider_refusing_the_user_logs_no_one_in(client, sso, caplog):
    _refused(client, client.get(oidc.CALLBACK + "?error=access_denied&state=x"), caplog, "access_denied")


def _id_token_for_other_service(provider, nonce):
    """A real id_token the provider issued to another service of the municipality."""
    session = requests.Session()
    metadata = provider.discovery()
    authorization = requests.Request(
        "GET",
        metadata["authorization_endpoint"],
        params={
            "client_id": oidc.OTHER_CLIENT_ID,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": oidc.OTHER_REDIRECT,
            "nonce": nonce,
            "state": "s",
        },
    ).prepare()
    returned = oidc.sign_in(session, authorization.url, "3f9a0c1e", until=oidc.OTHER_REDIRECT)
    code = parse_qs(urlsplit(returned).query)["code"][0]
    tokens = session.post(
        metadata["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": oidc.OTHER_REDIRECT},
        auth=(oidc.OTHER_CLIENT_ID, oidc.OTHER_CLIENT_SECRET),
        timeout=10,
    )
    return tokens.json()["id_token"]


def test_a_token_issued_to_another_service_or_tampered_with_is_refused(sso):
    """The library checks the signature but not the audience: our backend checks both, with the provider's keys."""
    token = _id_token_for_other_service(sso, nonce="n")
    backend = DirectoryBackend()
    backend._configure()

    with pytest.raises(InvalidAudienceError):
        backend.verify_token(token, nonce="n")
    header, payload, signature = token.split(".")
    tampered = ".".join([header, payload, ("A" if signature[0] != "A" else "B") + signature[1:]])
    with pytest.raises(InvalidSignatureError):
        backend.verify_token(tampered, nonce="n")


def test_the_local_login_and_its_lockout_work_beside_the_provider(client, sso):
    account = builders.user("lokal.redaktor")
    account.set_password("ett-langt-losenord-1")
    account.save()

    wrong = client.post("/login/", {"username": "lokal.redaktor", "password": "fel"})
    assert wrong.status_code == 200
    assert AccessAttempt.objects.filter(username="lokal.redaktor").get().failures_since_start == 1

    right = client.post("/login/", {"username": "lokal.redaktor", "password": "ett-langt-losenord-1"})
    assert right.status_code == 302
    assert logged_in_user(client) == account


def test_the_provider_may_receive_the_logout_form_under_the_content_security_policy(client, sso):
    policy = client.get("/login/")["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if part.strip().startswith("form-action"))
    assert sso.issuer in form_action and "'self'" in form_action


def test_without_an_issuer_there_is_only_the_local_login(client):
    page = client.get("/login/")
    assert "Logga in med kommunens konto" not in page.content.decode()
    assert "form-action 'self';" in page["Content-Security-Policy"] + ";"
    assert client.get("/login/kommunen/").status_code == 404
    assert client.get(oidc.CALLBACK + "?code=x&state=y").status_code == 404


def test_the_group_map_is_read_from_json_or_pairs_and_a_typo_stops_the_start():
    assert group_map('{"SG-A": "Läsare", "SG-B": ["Läsare", "Redaktörer"]}') == {
        "SG-A": ("Läsare",),
        "SG-B": ("Läsare", "Redaktörer"),
    }
    assert group_map("SG-A=Läsare; SG-B=Läsare;SG-B=Redaktörer;") == {
        "SG-A": ("Läsare",),
        "SG-B": ("Läsare", "Redaktörer"),
    }
    assert group_map("") == {}
    for typo in ("SG-A", "SG-A=", '{"SG-A": 3}', "{not json"):
        with pytest.raises(ImproperlyConfigured):
            group_map(typo)


def _settings_in_a_fresh_process(env):
    code = "from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "PYTHONPATH": "site", "DJANGO_SETTINGS_MODULE": "intranet.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_environment_turns_the_provider_on_after_the_lockout_and_demands_the_client():
    on = _settings_in_a_fresh_process(
        {"OIDC_ISSUER": "https://login.mjolby.example", "OIDC_RP_CLIENT_ID": "c", "OIDC_RP_CLIENT_SECRET": "s"}
    )
    assert on.returncode == 0, on.stderr
    assert "['axes.backends.AxesStandaloneBackend', 'intranet.oidc.DirectoryBackend'," in on.stdout
    off = _settings_in_a_fresh_process({})
    assert "DirectoryBackend" not in off.stdout
    incomplete = _settings_in_a_fresh_process({"OIDC_ISSUER": "https://login.mjolby.example"})
    assert incomplete.returncode != 0 and "OIDC_RP_CLIENT_SECRET must be set" in incomplete.stderr
