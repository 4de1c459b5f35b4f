"""After SECRET_KEY changes, the calendar address the forum page shows works (a key change renews every address)."""

import re

import pytest
from django.test import Client

from safety_pages.calendars import subscriptions

pytestmark = pytest.mark.django_db

FORUM_PAGE = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"


def _shown_address(client):
    html = client.get(FORUM_PAGE).content.decode()
    return re.search(r'value="http://testserver(/kalender/prenumeration/[^"]+\.ics)"', html).group(1)


def test_the_address_shown_after_a_key_change_works_and_the_old_one_does_not(demo, client_for, settings):
    client = client_for("medarbetare")
    before = _shown_address(client)
    assert Client().get(before).status_code == 200
    settings.SECRET_KEY = "a-new-key-after-a-leak-" + "x" * 40
    after = _shown_address(client_for("medarbetare"))  # the key change ended the session too
    assert after != before
    assert Client().get(after).status_code == 200
    assert Client().get(before).status_code == 404


def test_the_renewed_address_is_the_one_the_token_resolves_to(demo, django_user_model, settings):
    user = django_user_model.objects.get(username="medarbetare")
    subscriptions.token_for(user)
    settings.SECRET_KEY = "another-key-" + "y" * 50
    assert subscriptions.user_for(subscriptions.token_for(user)) == user
