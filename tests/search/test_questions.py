"""Question-style queries (issue 22 item 1): question words need not match, role words lift the facts they ask for
(the chair, memberships, meeting frequency) and never hide a hit, on every engine through the one query plan."""

from pathlib import Path

import pytest

from search import analysis
from tests.search.test_relevance_benchmark import assert_relevant, read_queries

QUESTIONS = Path(__file__).with_name("question-queries.tsv")
TRYGGHETSRADET = "/linkoping/organisation/trygghetsradet/"
UTSKOTT = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"
INSTRUCTION = f"{UTSKOTT}uppdragsbeskrivning-2017/"


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def urls(data, first=3):
    return [r["url"] for r in data["results"][:first]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, first, top3",
    [
        # Before: 0 hits and no suggestion (the question words had to match).
        ("vem leder trygghetsrådet i Linköping", TRYGGHETSRADET, TRYGGHETSRADET),
        # Before: Mjölby's § 224 and § 36 first.
        ("vem leder trygghetsrådet", TRYGGHETSRADET, TRYGGHETSRADET),
        # Before: one hit, Linköping's ledningsmodell; the instruction says "4 gånger per år".
        ("utskottet sammanträder fyra gånger per år", UTSKOTT, INSTRUCTION),
    ],
)
def test_the_issue_questions_put_what_they_ask_for_first(engine, client_for, query, first, top3):
    data = api(client_for("medarbetare"), q=query)
    assert urls(data, 1) == [first]
    assert top3 in urls(data)


@pytest.mark.django_db
def test_an_intent_that_matches_nothing_leaves_what_the_words_find(engine, client_for):
    reader = client_for("medarbetare")
    # Kdlg lists no chair and no meeting frequency: the question finds what "Kdlg" finds, in the same order.
    plain = api(reader, q="Kdlg")
    assert plain["total"] > 0
    for question in ("vem leder Kdlg", "hur ofta träffas Kdlg", "vilka ingår i Kdlg"):
        asked = api(reader, q=question)
        assert asked["total"] == plain["total"], question
        assert urls(asked, 1) == urls(plain, 1), question


@pytest.mark.django_db
def test_the_chair_question_lifts_the_chair_above_other_members(engine, client_for, django_capture_on_commit_callbacks):
    from safety_pages.models import ForumPage, Membership
    from tests import builders

    chair = builders.person("Ingrid Ordfsson", title="Kommunalråd")
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(forum=ForumPage.objects.get(slug="trygghetsradet"), person=chair, role="ordforande")
    found = urls(api(client_for("medarbetare"), q="vem leder trygghetsrådet i Linköping"), first=10)
    member = "/personer/7-paul-hakansson/"
    assert chair.get_absolute_url() in found[:3]
    assert member not in found or found.index(chair.get_absolute_url()) < found.index(member)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["vem", "vem är", "hur ofta", "när?", "ordf", "vem leder KS/2017:152", "fyra", "i i i", "vad " * 60, "sitter i"],
)
def test_no_question_gives_an_error(engine, client_for, query):
    api(client_for("medarbetare"), q=query)


@pytest.mark.django_db
def test_the_project_question_queries(demo, client_for):
    assert_relevant(client_for("medarbetare"), read_queries(QUESTIONS))


def test_the_plan_of_a_question():
    plan = analysis.plan_query("vem leder trygghetsrådet i Linköping")
    # The place lifts Linköping's hits and need not match (analysis._places): one word must.
    assert plan.words() == {"trygghetsrådet", "linköping"} and plan.minimum_match == 1
    assert [b.intent for b in plan.boosts] == ["chair"] and [b.intent for b in plan.places] == ["place"]
    # The role word alone is what the reader looks for: it stays a word to match.
    assert analysis.plan_query("ordförande").words() == {"ordförande"}
    # Only question words: kept, so the query is not silently empty (it finds what they find).
    assert analysis.plan_query("vem").words() == {"vem"}
    # Numbers in words find digits.
    (group,) = analysis.plan_query("fyra").clauses[0].alternatives[0]
    assert "4" in group.terms
    # A case number with a question: the number is what must match.
    plan = analysis.plan_query("vem leder KS/2017:152")
    assert plan.clauses[0].required and plan.words() == {"KS/2017:152"}


KOMMUNSTYRELSEN_LINKOPING = "/linkoping/organisation/kommunstyrelsen/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, plain, first",
    [
        # Before: the three Kommunstyrelsen forums ranked by how their text named the place.
        ("kommunstyrelsen Linköping", "kommunstyrelsen", KOMMUNSTYRELSEN_LINKOPING),
        ("kommunstyrelsen linkoping", "kommunstyrelsen", KOMMUNSTYRELSEN_LINKOPING),
        # Before: LAG Mjölby first (its title names the place), Mjölby's council second after Linköping's.
        ("trygghetsråd Mjölby", "trygghetsråd", "/mjolby/organisation/trygghets-och-sakerhetsradet/"),
    ],
)
def test_a_place_lifts_its_municipality_and_hides_nothing(engine, client_for, query, plain, first):
    reader = client_for("medarbetare")
    placed, unplaced = api(reader, q=query), api(reader, q=plain)
    assert urls(placed, 1) == [first]
    # The place decides nothing of what is a hit: the same hits as without it, in another order.
    assert placed["total"] == unplaced["total"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, spelled",
    [
        ("lagesbild Linkoping", "lagesbild Linköping"),
        ("Skanninge trygghet", "Skänninge trygghet"),
        ("trygghetsrad Mjolby", "trygghetsrad Mjölby"),
    ],
)
def test_a_place_typed_without_å_ä_ö_ranks_as_the_place(engine, client_for, typed, spelled):
    # Before, the name typed so counted as its folded variant only (0.4 of its weight): the pages naming the place
    # lost their lead over the other hits of the municipality.
    reader = client_for("medarbetare")
    assert urls(api(reader, q=typed), 10) == urls(api(reader, q=spelled), 10)


def test_the_plan_of_a_place():
    plan = analysis.plan_query("trygghetsråd Mjölby")
    assert [c.place for c in plan.clauses] == [False, True] and plan.minimum_match == 1
    assert [(b.intent, b.groups[0].word) for b in plan.places] == [("place", "mjölby")] and not plan.boosts
    # A locality stays a word to match and lifts its municipality.
    plan = analysis.plan_query("LAG Mantorp")
    assert not plan.clauses[-1].place and plan.minimum_match == 2 and plan.places[0].groups[0].word == "mjölby"
    # A place alone is what the reader looks for: a word to match, no boost.
    plan = analysis.plan_query("Mantorp")
    assert plan.words() == {"mantorp"} and not plan.clauses[0].place and not plan.places


def test_question_words_typed_without_å_ä_ö():
    plan = analysis.plan_query("nar sammantrader utskottet")
    assert plan.words() == {"utskottet"} and [b.intent for b in plan.boosts] == ["meetings"]
    # Snowball stems the word meant otherwise: a word typed without å/ä/ö asks for the folded stem of the word meant.
    assert "~upplos" in analysis.query_group("upplostes").terms and "~kombra" in analysis.query_group("kombra").terms
