"""The case register across forums: case numbers as people write them, and the case page each reader sees."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.models import PageViewRestriction

from safety_pages.access import roles
from safety_pages.models import Case, normalise_case_number
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written, key",
    [
        ("KS/2017:152", "ks-2017-152"),
        ("KS 2021/331", "ks-2021-331"),
        ("KS2007/0459-10", "ks-2007-459"),
        ("Dnr KS2009/126-00", "ks-2009-126"),
        (" ks 2017/152 ", "ks-2017-152"),
        ("2017/152", "2017-152"),
    ],
)
def test_case_numbers_in_the_common_formats_normalise_for_lookup(written, key):
    assert normalise_case_number(written) == key


def test_text_that_is_no_case_number_is_refused_in_swedish(demo):
    assert normalise_case_number("ärendet om vandringar") is None
    bad = Case(municipality=builders.section(), number="vandringar", title="X")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "Diarienumret känns inte igen" in str(error.value)


def test_a_case_is_shown_as_written_and_found_however_it_is_typed(demo):
    written = builders.case("KS 2021/331", title="Trygghetsvandringar")
    assert written.number == "KS 2021/331"
    assert Case.lookup(builders.section(), "KS/2021:331") == written
    duplicate = Case(municipality=builders.section(), number="KS/2021:331", title="Samma ärende")
    with pytest.raises(ValidationError, match="finns redan"):
        duplicate.full_clean()
    other_municipality = Case(municipality=builders.section("haninge"), number="KS/2021:331", title="Haninges ärende")
    other_municipality.full_clean()  # each municipality has its own registry


def test_case_page_of_ks_2016_37_lists_the_ks_paragraph(demo, client_for):
    response = client_for("medarbetare").get("/arenden/mjolby/ks-2016-37/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "KS/2016:37" in html
    assert "Kommunstyrelsen" in html and "2016-12-07" in html
    assert 'href="/mjolby/organisation/kommunstyrelsen/2016-12-07/paragraf/224/"' in html
    assert (
        client_for("medarbetare").get("/mjolby/organisation/kommunstyrelsen/2016-12-07/paragraf/224/").status_code
        == 200
    )


def test_case_page_lists_paragraphs_of_every_forum_in_date_order_that_the_reader_may_see(demo, client_for):
    ks = builders.forum("mjolby", "kommunstyrelsen")
    utskott = builders.forum("mjolby", "trygghets-och-sakerhetsutskottet")
    number = builders.case("KS/2027:5", title="Handlingsplan 2027")
    builders.record(
        ks,
        "2027-02-10",
        date=datetime.date(2027, 2, 10),
        adjusted_on=datetime.date(2027, 2, 12),
        paragraphs=[builders.paragraph(12, title="KS beslutar om handlingsplanen", case=number)],
    )
    builders.record(
        utskott,
        "2027-01-20",
        date=datetime.date(2027, 1, 20),
        adjusted_on=datetime.date(2027, 1, 22),
        paragraphs=[builders.paragraph(2, title="Utskottet bereder handlingsplanen", case=number)],
    )
    builders.record(
        utskott,
        "2027-03-03",
        date=datetime.date(2027, 3, 3),
        paragraphs=[builders.paragraph(5, title="Uppföljning, ej justerad", case=number)],
    )
    employee = client_for("medarbetare").get("/arenden/mjolby/ks-2027-5/").content.decode()
    assert employee.index("Utskottet bereder") < employee.index("KS beslutar")  # the utskott prepares, KS decides
    assert "Uppföljning, ej justerad" not in employee
    member = client_for("ledamot").get("/arenden/mjolby/ks-2027-5/").content.decode()
    assert "Uppföljning, ej justerad" in member and "ej justerat" in member
    assert client_for("medarbetare").get("/arenden/mjolby/ks-1999-1/").status_code == 404


def _not_found_like_a_missing_case(client, url):
    """A case the reader may see no paragraph of answers exactly as a case that does not exist."""
    response = client.get(url)
    missing = client.get("/arenden/mjolby/ks-1999-1/")
    assert response.status_code == missing.status_code == 404
    return response.content.decode()


def test_a_case_used_only_by_a_record_not_yet_justerat_is_not_found_by_an_employee(demo, client_for):
    number = builders.case("KS/2027:88", title="Hemligt ärende om kameror")
    builders.record(
        builders.forum("mjolby", "trygghets-och-sakerhetsutskottet"),
        "2027-04-01",
        date=datetime.date(2027, 4, 1),
        paragraphs=[builders.paragraph(3, title="Kameror", case=number)],
    )
    html = _not_found_like_a_missing_case(client_for("medarbetare"), "/arenden/mjolby/ks-2027-88/")
    assert "Hemligt ärende" not in html
    assert "Hemligt ärende" in client_for("ledamot").get("/arenden/mjolby/ks-2027-88/").content.decode()


def test_a_case_used_only_on_a_group_restricted_or_moved_record_is_not_found(demo, client_for):
    restricted = builders.forum("mjolby", "slutet-rad", title="Slutet råd")
    closed, moved = (
        builders.case("KS/2027:90", title="Slutet ärende"),
        builders.case("KS/2027:91", title="Flyttat ärende"),
    )
    builders.record(
        restricted,
        "2027-05-01",
        date=datetime.date(2027, 5, 1),
        adjusted_on=datetime.date(2027, 5, 3),
        paragraphs=[builders.paragraph(1, title="Slutet", case=closed)],
    )
    record = builders.record(
        builders.forum("mjolby", "kommunstyrelsen"),
        "2027-05-02",
        date=datetime.date(2027, 5, 2),
        adjusted_on=datetime.date(2027, 5, 4),
        paragraphs=[builders.paragraph(2, title="Flyttat", case=moved)],
    )
    assert client_for("medarbetare").get("/arenden/mjolby/ks-2027-91/").status_code == 200
    restriction = PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name=roles.REVIEWERS)])
    record.move(restricted, pos="last-child")
    for url in ("/arenden/mjolby/ks-2027-90/", "/arenden/mjolby/ks-2027-91/"):
        html = _not_found_like_a_missing_case(client_for("medarbetare"), url)
        assert "Slutet ärende" not in html and "Flyttat ärende" not in html
    assert client_for("granskare").get("/arenden/mjolby/ks-2027-90/").status_code == 200


def test_a_case_no_paragraph_uses_yet_is_not_found(demo, client_for):
    builders.case("KS/2027:92", title="Importerat från ett utkast")  # as import_minutes creates it from a draft
    html = _not_found_like_a_missing_case(client_for("redaktor"), "/arenden/mjolby/ks-2027-92/")
    assert "Importerat från ett utkast" not in html
