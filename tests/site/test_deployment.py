"""Deployment behind the load balancer: lockouts count the client's address, and the health check answers over HTTP.

The production settings are read in a subprocess (they refuse to load without their environment), and the login
lockout is exercised in-process with the settings those environment variables produce.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent
LOAD_BALANCER = "10.0.0.2"
BEHIND_THE_LOAD_BALANCER = {
    "AXES_IPWARE_META_PRECEDENCE_ORDER": "HTTP_X_FORWARDED_FOR,REMOTE_ADDR",
    "AXES_IPWARE_PROXY_COUNT": "0",
}

PROBE = """
import json
from django.conf import settings
from django.test import Client
print(json.dumps({
    "healthz": Client().get("/healthz").status_code,
    "login": Client().get("/login/").status_code,
    "precedence": list(settings.AXES_IPWARE_META_PRECEDENCE_ORDER),
    "proxy_count": settings.AXES_IPWARE_PROXY_COUNT,
}))
"""


def _production(**env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="intranet.settings.production",
        SECRET_KEY="z" * 64,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL="sqlite:///:memory:",
        **env_extra,
    )
    command = [sys.executable, "manage.py", "shell", "-c", PROBE]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_health_check_answers_over_plain_http_while_everything_else_goes_to_https():
    probe = _production()
    assert probe["healthz"] == 200
    assert probe["login"] == 301


def test_the_client_address_comes_from_the_environment():
    assert _production()["precedence"] == ["REMOTE_ADDR"]  # no proxy named: the connection's own address
    probe = _production(**BEHIND_THE_LOAD_BALANCER)
    assert probe["precedence"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    assert probe["proxy_count"] == 0


@pytest.fixture
def behind_the_load_balancer(settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0


def _login(client_address, password, forwarded_for=None):
    """A login through the load balancer: it connects from its own address and appends the client's to the header."""
    header = f"{forwarded_for}, {client_address}" if forwarded_for else client_address
    return Client(REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_FOR=header).post(
        "/login/", {"username": "medarbetare", "password": password}
    )


@pytest.mark.django_db
def test_wrong_passwords_from_one_client_do_not_lock_the_name_out_for_others(demo, behind_the_load_balancer, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login("10.1.1.1", "fel")
    assert _login("10.1.1.1", "trygghet-demo").status_code == 429
    assert _login("10.2.2.2", "trygghet-demo").status_code == 302


@pytest.mark.django_db
def test_a_client_cannot_escape_its_lockout_by_writing_into_the_header(demo, behind_the_load_balancer, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login("10.1.1.1", "fel", forwarded_for=f"203.0.113.{attempt}")
    assert _login("10.1.1.1", "trygghet-demo", forwarded_for="198.51.100.7").status_code == 429
    assert _login("10.2.2.2", "trygghet-demo", forwarded_for="10.1.1.1").status_code == 302
