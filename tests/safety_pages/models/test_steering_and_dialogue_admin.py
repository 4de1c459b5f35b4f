"""Editing dialogues and steering documents in the Wagtail admin."""

import datetime

import pytest
from django.urls import reverse

from safety_pages.models import (
    CitizenDialogueIndexPage,
    CitizenDialogueReportPage,
    SteeringDocumentIndexPage,
    SteeringDocumentPage,
)

pytestmark = pytest.mark.django_db


def _inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
        data[f"{prefix}-{n}-ORDER"] = str(n + 1)
        data[f"{prefix}-{n}-DELETE"] = ""
    return data


def test_edit_views_of_every_new_page_type_open_for_the_editor(demo, client_for):
    client = client_for("redaktor")
    for model in (CitizenDialogueIndexPage, CitizenDialogueReportPage, SteeringDocumentIndexPage, SteeringDocumentPage):
        page = model.objects.first()
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, model.__name__


def test_editor_adds_a_report_with_methods_and_an_action(demo, client_for):
    index = CitizenDialogueIndexPage.objects.get(slug="medborgardialog")
    url = reverse("wagtailadmin_pages:add", args=["safety_pages", "citizendialoguereportpage", index.pk])
    data = {
        "title": "Dialog med seniorer",
        "slug": "dialog-med-seniorer",
        "held_from": "2026-10-01",
        "held_to": "",
        "methods": ["fysiskt_mote", "enkat"],
        "participants": "40",
        "tags": "seniorer",
        **_inline("feedback_items", [{"theme": "Belysning", "description": "", "mentions": "5"}]),
        **_inline(
            "actions",
            [{"title": "Fler lampor", "status": "planerad", "due_on": "2027-01-31", "follow_up": ""}],
        ),
        "comment_notifications": "",
    }
    response = client_for("redaktor").post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = CitizenDialogueReportPage.objects.get(slug="dialog-med-seniorer")
    revision = page.latest_revision.as_object()
    assert revision.methods == ["fysiskt_mote", "enkat"]
    assert [a.title for a in revision.actions.all()] == ["Fler lampor"]
    assert revision.actions.all()[0].due_on == datetime.date(2027, 1, 31)


def test_admin_explains_a_reversed_period_in_swedish(demo, client_for):
    index = CitizenDialogueIndexPage.objects.get(slug="medborgardialog")
    url = reverse("wagtailadmin_pages:add", args=["safety_pages", "citizendialoguereportpage", index.pk])
    data = {
        "title": "Bakvänd",
        "slug": "bakvand",
        "held_from": "2026-10-01",
        "held_to": "2026-09-01",
        **_inline("feedback_items", []),
        **_inline("actions", []),
    }
    response = client_for("redaktor").post(url, data)
    assert response.status_code == 200
    assert "Slutdatumet kan inte vara före startdatumet." in response.content.decode()
    assert not CitizenDialogueReportPage.objects.filter(slug="bakvand").exists()


def test_editor_adds_a_steering_document_and_its_review_date_is_computed(demo, client_for):
    index = SteeringDocumentIndexPage.objects.get(url_path__endswith="/linkoping/styrdokument/")
    url = reverse("wagtailadmin_pages:add", args=["safety_pages", "steeringdocumentpage", index.pk])
    data = {
        "title": "Medborgarlöfte 2026",
        "slug": "medborgarlofte-2026",
        "kind": "medborgarlofte",
        "status": "gallande",
        "adopted_on": "2026-01-31",
        "review_interval_months": "12",
        "tags": "polisen",
        **_inline("attachments", []),
        "action-publish": "publish",
    }
    response = client_for("granskare").post(url, data)
    assert response.status_code == 302
    page = SteeringDocumentPage.objects.get(slug="medborgarlofte-2026")
    assert page.live and page.next_review_on == datetime.date(2027, 1, 31)


def test_admin_refuses_a_validity_that_ends_before_it_starts(demo, client_for):
    index = SteeringDocumentIndexPage.objects.get(url_path__endswith="/linkoping/styrdokument/")
    url = reverse("wagtailadmin_pages:add", args=["safety_pages", "steeringdocumentpage", index.pk])
    data = {
        "title": "Bakvänt",
        "slug": "bakvant",
        "kind": "annat",
        "status": "gallande",
        "valid_from": "2026-01-01",
        "valid_to": "2025-01-01",
        **_inline("attachments", []),
    }
    response = client_for("redaktor").post(url, data)
    assert response.status_code == 200
    assert "Dokumentet kan inte sluta gälla innan det börjar gälla." in response.content.decode()
