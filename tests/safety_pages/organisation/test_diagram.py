"""The organisation diagram: drawn from the data, with a text alternative, showing only what the reader may see."""

import re

import pytest

from tests import builders

pytestmark = pytest.mark.django_db


def lines(svg):
    return set(re.findall(r'data-kind="(\w+)" data-from="(\d+)" data-to="(\d+)"', svg))


def boxes(svg):
    return {
        int(pk): (float(x), float(y))
        for pk, x, y in re.findall(r'data-forum="(\d+)"><rect class="org-box[^"]*" x="([\d.]+)" y="([\d.]+)"', svg)
    }


@pytest.fixture
def mjolby_like(org):
    ks = builders.forum(org, "ks", title="Kommunstyrelsen", level="politisk")
    utskott = builders.forum(
        org, "utskott", title="Trygghets- och säkerhetsutskottet", level="politisk", reports_to=[ks]
    )
    network = builders.forum(org, "natverk", title="Strategiskt nätverk")
    lag = builders.forum(org, "lag", title="LAG Mantorp", level="operativ", reports_to=[network])
    network.gives_assignments_to = [lag]
    network.save_revision().publish()
    return ks, utskott, network, lag


def test_svg_draws_reporting_and_assignment_lines_with_reporters_below(mjolby_like, org, employee_client):
    ks, utskott, network, lag = mjolby_like
    response = employee_client.get(f"{org.url}organisationsbild/")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert lines(svg) == {
        ("reports_to", str(utskott.pk), str(ks.pk)),
        ("reports_to", str(lag.pk), str(network.pk)),
        ("gives_assignments_to", str(network.pk), str(lag.pk)),
    }
    placed = boxes(svg)
    assert placed[ks.pk][1] < placed[utskott.pk][1]  # the body reported to sits above
    assert placed[network.pk][1] < placed[lag.pk][1]
    assert '<title id="org-diagram-title">Organisationsbild</title>' in svg and 'role="group"' in svg
    # Each box is a link to its forum.
    assert f'<a class="org-node" href="{lag.url}" data-forum="{lag.pk}">' in svg


def test_changing_a_reports_to_line_changes_the_picture(mjolby_like, org, employee_client):
    ks, utskott, network, lag = mjolby_like
    before = employee_client.get(f"{org.url}organisationsbild/").content.decode()
    network.reports_to = [utskott]
    network.save_revision().publish()
    after = employee_client.get(f"{org.url}organisationsbild/").content.decode()
    assert ("reports_to", str(network.pk), str(utskott.pk)) in lines(after) - lines(before)
    assert boxes(after)[network.pk] != boxes(before)[network.pk]
    assert boxes(after)[utskott.pk][1] < boxes(after)[network.pk][1] < boxes(after)[lag.pk][1]


def test_index_page_has_the_diagram_inline_and_the_same_relations_as_a_nested_list(mjolby_like, org, employee_client):
    ks, utskott, network, lag = mjolby_like
    html = employee_client.get(org.url).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="org-diagram"' in html
    outline = html[html.index('<ul class="org-outline">') :]
    # The utskott is nested under the board it reports to, the LAG under the network.
    ks_item = outline[outline.index(">Kommunstyrelsen</a>") :]
    nested = "Trygghets- och säkerhetsutskottet</a>; rapporterar till Kommunstyrelsen"
    assert ks_item.index("<ul") < ks_item.index(nested)
    assert "Strategiskt nätverk</a>; kan ge uppdrag till LAG Mantorp" in outline
    assert "LAG Mantorp</a>; rapporterar till Strategiskt nätverk" in outline


def test_forums_closed_to_the_reader_are_left_out_of_the_diagram(mjolby_like, org, employee_client):
    ks, utskott, network, lag = mjolby_like
    builders.restrict_to_groups(network, builders.group("Slutna gruppen"))
    svg = employee_client.get(f"{org.url}organisationsbild/").content.decode()
    assert network.pk not in boxes(svg) and ks.pk in boxes(svg)
    assert "Strategiskt nätverk" not in svg
    assert lines(svg) == {("reports_to", str(utskott.pk), str(ks.pk))}
    html = employee_client.get(org.url).content.decode()
    assert "Strategiskt nätverk" not in html
