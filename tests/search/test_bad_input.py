"""Bad input to search is answered 400 with a Swedish message, never 500 (issue 19, item 8): the JSON API in JSON,
the search page as a page; a generated stream of hostile inputs never gets a 5xx from any of the three."""

from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

API, PAGE, AUTOCOMPLETE = "/api/search/", "/sok/", "/api/search/autocomplete/"


@pytest.fixture
def reader(site, client_for):
    return client_for("medarbetare")


def _refused_as_json(response):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, message",
    [
        # "²".isdigit() is true, int("²") raises.
        ({"forum": "²"}, "Forum anges med sitt id-nummer."),
        ({"forum": "9223372036854775808"}, "Forum anges med sitt id-nummer."),
        ({"forum": "99999999999999999999999"}, "Forum anges med sitt id-nummer."),
        ({"forum": "٣"}, "Forum anges med sitt id-nummer."),
        ({"type": "bogus"}, "Det finns ingen sidtyp som heter så."),
        ({"q": "råd\x00"}, "Sökningen innehåller tecken som inte kan användas."),
        ({"tag": "a\x00b"}, "Sökningen innehåller tecken som inte kan användas."),
        ({"forum": [str(n) for n in range(1, 70)]}, "Välj högst 50 värden för forum."),
    ],
)
def test_the_api_refuses_a_bad_parameter_with_400_and_a_swedish_message_in_json(reader, params, message):
    assert _refused_as_json(reader.get(API, params)) == message


@pytest.mark.django_db
@pytest.mark.parametrize("forum", ["²", "9223372036854775808"])
def test_the_search_page_refuses_a_bad_forum_with_a_page_that_says_why(reader, forum):
    response = reader.get(PAGE, {"q": "råd", "forum": forum})
    assert response.status_code == 400
    assert "Forum anges med sitt id-nummer." in response.content.decode()


@pytest.mark.django_db
def test_known_types_and_forum_ids_are_still_accepted(site, reader):
    response = reader.get(API, {"q": "råd", "type": "forumpage", "forum": str(site["radet"].pk)})
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == ["Trygghets- och säkerhetsrådet"]


# Hostile values: odd unicode (no lone surrogates: a URL carries UTF-8), control characters, digits of every script,
# huge and odd numbers, long strings; and raw bytes that are not UTF-8 at all, sent percent-encoded as they are.
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
_VALUES = st.one_of(
    _TEXT,
    st.text("0123456789²³¹٣۴१߁๓Ⅻ½ \x00-+e", min_size=1, max_size=25),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=150, max_size=3000),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["²", "³", "٣", "¹²", "Ⅻ", "1e9", "0", "-1", "+1", " 7 ", "0x10", "\x00", "2147483648"]),
    st.sampled_from(["9" * 5000, "9223372036854775808", "99999999999999999999999"]),
    st.sampled_from(["forumpage", "paragraph", "", "%", "_", "\\", "' OR 1=1 --", "<script>", "mjolby", "upplost"]),
)
# A plausible request (each parameter with a value it accepts), then one or two of its parameters given hostile
# values, often repeated: so the hostile value passes the other checks and reaches the code behind them.
_PLAUSIBLE = {
    "q": ["råd", "brå", "", "Kdlg"],
    "type": ["forumpage"],
    "forum": ["12", "3"],
    "section": ["mjolby", "haninge"],
    "year": ["2017"],
    "tag": ["krisberedskap"],
    "status": ["upplost"],
    "page": ["1", "2"],
}
_BASE = st.fixed_dictionaries(
    {}, optional={name: st.lists(st.sampled_from(v), min_size=1, max_size=2) for name, v in _PLAUSIBLE.items()}
)
_HOSTILE = st.dictionaries(st.sampled_from(list(_PLAUSIBLE)), st.lists(_VALUES, min_size=1, max_size=3), max_size=2)
_PARAMS = st.builds(lambda base, hostile: {**base, **hostile}, _BASE, _HOSTILE)
# Parameters of any name beside them.
_PAIRS = st.lists(st.tuples(_TEXT, st.lists(_VALUES, min_size=1, max_size=2)), max_size=2)


def _query_string(params, pairs, raw):
    named = [*params.items(), *pairs]
    encoded = urlencode([(name, value) for name, values in named for value in values], quote_via=quote)
    return "&".join(p for p in [encoded, *(f"{quote(n)}={quote_from_bytes(b)}" for n, b in raw)] if p)


@pytest.mark.django_db
@settings(
    max_examples=1200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from([API, PAGE, AUTOCOMPLETE]),
    params=_PARAMS,
    pairs=_PAIRS,
    raw=st.lists(st.tuples(st.sampled_from(["q", "forum", "section", "tag"]), st.binary(max_size=20)), max_size=2),
)
def test_hostile_input_never_gets_a_server_error(reader, path, params, pairs, raw):
    # The test client raises what a view raised: a 500 fails here with its traceback.
    response = reader.get(f"{path}?{_query_string(params, pairs, raw)}")
    assert response.status_code < 500, (path, params, pairs, raw)
    if path != PAGE and response.status_code == 400:
        assert response.json()["error"]
