"""The Swedish analyser both engines share: what a reader types must meet what editors wrote."""

import pytest

from search import analysis
from search.vocabulary import decompounder_word_list


def terms(text):
    return set(analysis.analyse(text)[0])


def test_inflected_forms_share_a_term():
    assert terms("rådet") & terms("råd")
    assert terms("strategiskt") & terms("strategiska")
    # Snowball alone leaves these apart; the compound lemma brings them together.
    assert terms("säkerhetsutskottet") & terms("säkerhetsutskott")
    assert terms("utskottet") & terms("utskott")


def test_compounds_split_on_the_shared_vocabulary():
    assert analysis.split_compound("trygghetsrådet") == ("trygghet", "råd")
    assert analysis.split_compound("brottsförebyggande") == ("brott", "förebyggande")
    assert analysis.split_compound("medborgardialogen") == ("medborgare", "dialog")
    assert analysis.split_compound("arbetsgruppen") == ("arbete", "grupp")
    # An unknown first part still lets the known last part be found.
    assert analysis.split_compound("krisledningsrådet")[-1] == "råd"
    assert analysis.split_compound("planering") is None


def test_a_part_is_indexed_at_a_lower_weight_than_the_word():
    counts, _length = analysis.analyse("Trygghetsrådet")
    assert 0 < counts["råd"] < counts["trygghetsråd"]


def test_å_ä_ö_stay_letters_and_the_folded_variant_scores_lower():
    assert "råd" in terms("råd") and "rad" not in terms("råd")
    counts, _length = analysis.analyse("Skänninge")
    assert counts["~skanning"] < counts["skänning"]
    query = analysis.plan_query("skanninge")
    assert "~skanning" in query.terms()


def test_a_compound_typed_without_å_ä_ö_reaches_the_lemma_of_the_word_meant_at_the_folded_weight():
    # Snowball reads "-ad" as an ending in "trygghetsrad" but not in "trygghetsråd": the stems differ, the parts not.
    assert analysis.stem("trygghetsrad") != analysis.fold(analysis.stem("trygghetsråd"))
    (group,) = analysis.plan_query("trygghetsradet").clauses[0].alternatives[0]
    assert group.terms["trygghet+råd"] == analysis.FOLDED
    assert "trygghet+råd" in terms("Trygghetsrådet")
    # A word typed as written keeps its own split; the folded forms only stand in for what is otherwise unknown.
    (group,) = analysis.plan_query("trygghetsrådet").clauses[0].alternatives[0]
    assert group.terms["trygghet+råd"] == analysis.EXACT


@pytest.mark.parametrize("written", ["KS/2017:152", "KS 2017/152", "ks 2017:152", "KS2017/0152", "Dnr KS/2017:152"])
def test_case_numbers_match_in_any_written_form(written):
    assert "#ks2017-152" in terms(f"Protokoll {written} om medborgardialog")
    plan = analysis.plan_query(written)
    assert plan.clauses[0].required and "#ks2017-152" in plan.terms()


def test_a_case_number_with_a_sub_number_is_found_by_both():
    found = terms("KS2007/0459-10")
    assert {"#ks2007-459", "#ks2007-459-10"} <= found


def test_synonyms_become_alternatives_of_the_words_they_replace():
    plan = analysis.plan_query("BRÅ Haninge", [("BRÅ", "brottsförebyggande råd")])
    first = plan.clauses[0]
    assert [g.word for g in first.alternatives[1]] == ["brottsförebyggande", "råd"]
    plan = analysis.plan_query("lokal arbetsgrupp", [("LAG", "lokal arbetsgrupp")])
    assert plan.clauses[0].span == 2 and [g.word for g in plan.clauses[0].alternatives[1]] == ["lag"]


@pytest.mark.parametrize("text", ['"', "*", ":", "((", "KS/:", "x" * 10_000, "å" * 5000, "\x00", "§ 35"])
def test_any_input_is_analysed_without_error(text):
    analysis.plan_query(text)
    analysis.analyse(text)


def test_elasticsearch_decompounder_uses_the_same_parts():
    words = decompounder_word_list()
    assert {"råd", "rådet", "trygghets", "utskott", "arbets"} <= set(words)


@pytest.mark.parametrize("typed", ["ks 2017 152", "KS 2017 152", "ks-2017-152", "Dnr ks 2017 152"])
def test_a_case_number_typed_with_spaces_is_read_as_the_number_or_its_words(typed):
    (clause,) = analysis.plan_query(typed).clauses
    number, words = clause.alternatives
    assert [g.terms for g in number] == [{"#ks2017-152": analysis.CASE_NUMBER}]
    assert len(words) == 3  # the words still find what they find
    assert analysis.plan_query("KS/2017:152").terms() <= analysis.plan_query(typed).terms()


def test_numbers_in_a_longer_query_are_no_case_number():
    assert not [t for t in analysis.plan_query("år 2017 15 möten").terms() if t.startswith("#")]
