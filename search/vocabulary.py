"""The Swedish vocabulary both search engines share.

Swedish writes compounds as one word (trygghetsrådet, säkerhetsutskottet), so
a reader who types one part must still find the whole. Snowball stemming alone
does not get there: it leaves "utskottet" and "utskott" as different stems and
never splits a word. The parts listed here are what the embedded analyser
(`search.analysis`) splits on, and the same list is the word list of the
Elasticsearch `dictionary_decompounder` in `search.documents`, so both engines
split the same way.

Each entry is the canonical part; the analyser adds inflections and the
linking "s" itself. Add a part when a common compound of the domain is not
found by one of its words.
"""

COMPOUND_PARTS = (
    # The domain: safety, crime prevention, preparedness
    "trygghet",
    "säkerhet",
    "brott",
    "förebyggande",
    "skapande",
    "polis",
    "myndighet",
    "kris",
    "hantering",
    "beredskap",
    "olycka",
    "skydd",
    "information",
    "räddning",
    "tjänst",
    "våld",
    "drog",
    "ungdom",
    # Forums and bodies
    "råd",
    "utskott",
    "nätverk",
    "arbete",
    "grupp",
    "styr",
    "styrelse",
    "ledning",
    "samordning",
    "beredning",
    "samverkan",
    "kommun",
    "fullmäktige",
    "nämnd",
    "direktör",
    "förvaltning",
    "enhet",
    "resurs",
    "region",
    "ordförande",
    "medlem",
    # Documents and meetings
    "uppdrag",
    "beskrivning",
    "reglemente",
    "protokoll",
    "utdrag",
    "sammanträde",
    "kallelse",
    "beslut",
    "underlag",
    "handling",
    "plan",
    "program",
    "överenskommelse",
    "löfte",
    "lägesbild",
    "bild",
    "åtgärd",
    "rapport",
    "skrivelse",
    "mål",
    # Citizen dialogue
    "medborgare",
    "dialog",
    "undersökning",
    "vandring",
    "synpunkt",
    "enkät",
)

# Endings a final part may carry (definite, plural, genitive).
INFLECTIONS = (
    "",
    "s",
    "en",
    "et",
    "n",
    "t",
    "ens",
    "ets",
    "ns",
    "ts",
    "ar",
    "arna",
    "arnas",
    "er",
    "erna",
    "ernas",
    "or",
    "orna",
    "na",
    "e",
    "a",
)


def linking_forms(part):
    """How a part is written when another part follows: trygghet-s-rådet, arbet(e)-s-grupp, medborgar(e)-dialog."""
    forms = {part, part + "s"}
    if part[-1] in "ae":
        forms |= {part[:-1], part[:-1] + "s"}
    return forms


# Words that carry no meaning in a query or a page ("Dnr" precedes a case number, which is matched on its own).
STOPWORDS = frozenset(
    """
    och i på av för till med om som att den det de en ett är var har ska kan inte från vid eller
    samt under efter över dnr diarienummer nr §
    """.split()
)


# Question and function words a reader types around what they ask ("vem leder trygghetsrådet i Linköping"): a
# query need not match them. Left out of queries only, not of the index (STOPWORDS are both), so no reindex.
QUESTION_WORDS = frozenset(
    """
    vem vilka vilken vilket vad när hur var vart varför ofta finns hittar jag vi man mig oss ni du
    någon något några ska skall får brukar kommer sig dess deras hans hennes
    """.split()
)

# Role words carry the intent of a question: the facts it asks for, as words the pages write. A query's intent
# words become optional boosts (search.analysis): they lift a page that holds these words and never hide one.
INTENTS = {
    # the chair: the forum's ordförande (a person hit "ordförande i Trygghetsrådet", the forum listing them)
    "chair": ("ordförande", "ordföranden", "ordf"),
    # memberships: person hits ("ledamot i …", "permanent medlem i …") and the forum listing them
    "members": ("ledamot", "ledamöter", "medlem", "medlemmar", "ingår", "sitter", "representant", "ersättare"),
    # meeting frequency and dates: "4 gånger per år" of an instruction, the meeting pages
    "meetings": ("sammanträder", "sammanträde", "sammanträden", "träffas", "möts", "gånger", "sammanträdesprotokoll"),
}
# The typed words that ask for each intent (several words read together: "hur ofta", "sitter i").
INTENT_WORDS = {
    "leder": "chair",
    "leds": "chair",
    "ledare": "chair",
    "leda": "chair",
    "ordförande": "chair",
    "ordföranden": "chair",
    "ordf": "chair",
    "ingår": "members",
    "sitter": "members",
    "ledamot": "members",
    "ledamöter": "members",
    "ledamöterna": "members",
    "medlem": "members",
    "medlemmar": "members",
    "medlemmarna": "members",
    "sammanträder": "meetings",
    "träffas": "meetings",
    "möts": "meetings",
    "ofta": "meetings",
}
# Numbers written as words find the digits pages show ("fyra gånger per år" finds "4 gånger per år").
NUMBER_WORDS = {
    "två": "2",
    "tre": "3",
    "fyra": "4",
    "fem": "5",
    "sex": "6",
    "sju": "7",
    "åtta": "8",
    "nio": "9",
    "tio": "10",
    "elva": "11",
    "tolv": "12",
}


def decompounder_word_list():
    """Every written form of the parts, for Elasticsearch's dictionary_decompounder."""
    forms = set()
    for part in COMPOUND_PARTS:
        forms |= {part + ending for ending in INFLECTIONS} | linking_forms(part)
    return sorted(forms)
