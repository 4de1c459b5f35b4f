"""Shared fixtures: the demo site frame and logged-in clients per role."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db, settings):
    """The whole demo site, as `make run` loads it."""
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def client_for(client, django_user_model):
    """Return a test client logged in as the named demo user."""

    def login(username):
        client.force_login(django_user_model.objects.get(username=username))
        return client

    return login
