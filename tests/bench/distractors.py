"""Distractor pages for the relevance bench: the rest of a municipal intranet, written in bulk beside the demo.

The demo's governance pages have distinctive titles; a real intranet around them holds thousands of pages sharing
their words (trygghet, råd, polis, samverkan, nämnd, utskott, sammanträde) and their places. These are such pages,
worded from templates so they read like intranet text (benchmark data only, never for real content):

- news (plain Wagtail pages, as a host intranet's news type is to our index: a title such as "Nyhet: Nytt
  samverkansavtal med polisen om IT-säkerhet"; their body is the host's and not indexed here);
- HR and IT guidance ("Riktlinje för distansarbete"), steering documents of kind *annat* with a summary;
- other committees in the demo's municipalities (Socialnämnden, Barn- och utbildningsnämnden, Pensionärsrådet …),
  each with its reglemente and meeting records whose paragraphs carry their own case series (SN, BUN …): every
  seventh record not yet justerat, so closed to the demo employee.

The tree is written by tests.bench.search_data.TreeWriter and the paragraphs by its paragraph writer.
"""

from wagtail.models import Page

from safety_pages.models import (
    ForumIndexPage,
    ForumPage,
    HomePage,
    SectionPage,
    SteeringDocumentPage,
)
from tests.bench import search_data

PLACES = search_data.PLACES
ACTORS = [
    "polisen",
    "socialtjänsten",
    "skolan",
    "räddningstjänsten",
    "bostadsbolaget",
    "fastighetsägarna",
    "föreningarna",
    "regionen",
    "IT-avdelningen",
    "HR-avdelningen",
    "förvaltningen",
    "nämnden",
    "kommunstyrelsen",
    "fritidsgårdarna",
    "fältgruppen",
]
TOPICS = [
    "IT-säkerhet",
    "informationssäkerhet",
    "arbetsmiljö",
    "trygghet i skolan",
    "hemtjänst",
    "försörjningsstöd",
    "barn och unga",
    "missbruk och beroende",
    "våld i nära relationer",
    "friskvård",
    "lönerevision",
    "lösenord och e-post",
    "distansarbete",
    "äldreomsorg",
    "trafiksäkerhet",
    "klotter och skadegörelse",
    "belysning i parker",
    "krisberedskap",
    "samverkan med polisen",
    "trygga mötesplatser",
    "hot och våld mot medarbetare",
    "sommarlovsaktiviteter",
    "integration",
    "upphandling",
]
THINGS = ["samverkansavtal", "handlingsplan", "rutin", "riktlinje", "lägesbild", "uppföljning", "rapport", "budget"]
SENTENCES = [
    "{Actor} och {actor} har tagit fram en {thing} om {topic} i {place}.",
    "Nämnden beslutar att godkänna förvaltningens {thing} om {topic}.",
    "Samverkan med {actor} kring {topic} följs upp vid nästa sammanträde.",
    "Rådet informerades om {topic} och om läget i {place}.",
    "Medarbetare som arbetar med {topic} kan vända sig till {actor}.",
    "Ärendet har beretts av {actor} och redovisas för utskottet.",
    "Tryggheten för medarbetarna ingår i arbetet med {topic}.",
    "{Actor} redogjorde för {topic} i {place} under året.",
    "Ledamöterna diskuterade {topic}, och ordföranden sammanfattade diskussionen.",
    "Förslaget innebär att {actor} ansvarar för {topic} från och med nästa år.",
    "En {thing} för {topic} ska tas fram i samverkan med {actor}.",
    "Frågan om {topic} lyfts till kommunstyrelsen efter sammanträdet.",
]
NEWS = [
    "Nytt samverkansavtal med polisen om {topic}",
    "{Actor} satsar på {topic} i {place}",
    "Så fungerar den nya {thing}en för {topic}",
    "Ny rutin för {topic} från och med {month}",
    "Inbjudan: informationsmöte om {topic} i {place}",
    "Trygghetsvandring i {place} om {topic}",
    "Socialnämndens sammanträde: {topic}",
    "Kommunstyrelsen har beslutat om {topic}",
    "Rådet för {topic} träffas i {place}",
    "Påminnelse: utbildning i {topic} för chefer",
    "{Actor} söker medarbetare till arbetet med {topic}",
    "Frågor och svar om {topic}",
    "Enkät om {topic} – svara senast i {month}",
    "Lägesbild: så går arbetet med {topic} i {place}",
    "Webbinarium om {topic} för alla medarbetare",
    "Ändrade öppettider på grund av {topic} i {place}",
    "Utskottet har behandlat {topic}",
    "Nämnden vill ha synpunkter på {topic}",
    "Driftstörning: {topic} påverkas i {month}",
    "Tips från {actor} om {topic}",
]
# A paragraph's title names its matter, as minutes do.
MATTERS = [
    "{Thing} om {topic}",
    "Information om {topic}",
    "Uppföljning av {topic}",
    "Yttrande över {thing} om {topic}",
    "Redovisning av {topic} i {place}",
    "Medborgarförslag om {topic} i {place}",
    "Delegationsbeslut",
    "Anmälningsärenden",
    "Val av justerare",
]
GUIDANCE = [
    "Riktlinje för {topic}",
    "Rutin vid {topic}",
    "Policy för {topic}",
    "Handbok om {topic} för medarbetare",
    "Checklista: {topic} på arbetsplatsen",
]
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "augusti", "september", "oktober", "november"]
# (name, kind, case series) of the other committees each demo municipality has.
COMMITTEES = [
    ("Socialnämnden", "namnd", "SN"),
    ("Barn- och utbildningsnämnden", "namnd", "BUN"),
    ("Kultur- och fritidsnämnden", "namnd", "KFN"),
    ("Tekniska nämnden", "namnd", "TN"),
    ("Miljö- och byggnämnden", "namnd", "MBN"),
    ("Vård- och omsorgsnämnden", "namnd", "VON"),
    ("Pensionärsrådet", "rad", "PR"),
    ("Funktionsrättsrådet", "rad", "FR"),
    ("Folkhälsorådet", "rad", "FHR"),
    ("Ungdomsrådet", "rad", "UR"),
    ("Styrgrupp för digitalisering och IT", "styrgrupp", "IT"),
    ("Centrala samverkansgruppen (arbetsmiljö)", "samordningsgrupp", "CSG"),
]
# Shares of the distractor pages: news, guidance, the committees' pages (forums, reglementen, records).
NEWS_SHARE, GUIDANCE_SHARE = 0.4, 0.15


class Prose:
    """Sentences from the templates above, as `search_data.Vocabulary.sentence` gives words: `sentence(rng, n)`
    is at least `n` words of whole sentences."""

    def fill(self, rng, template, place=None):
        actor, thing = rng.choice(ACTORS), rng.choice(THINGS)
        return template.format(
            actor=rng.choice(ACTORS),
            Actor=actor[0].upper() + actor[1:],
            thing=thing,
            Thing=thing.capitalize(),
            topic=rng.choice(TOPICS),
            place=place or rng.choice(PLACES),
            month=rng.choice(MONTHS),
        )

    def matter(self, rng):
        return self.fill(rng, rng.choice(MATTERS))

    def sentence(self, rng, n):
        words, text = 0, []
        while words < n:
            text.append(self.fill(rng, rng.choice(SENTENCES)))
            words += len(text[-1].split())
        return " ".join(text)


def _container(home, title, slug):
    return home.add_child(instance=Page(title=title, slug=slug, live=True))


def generate(pages, rng, out):
    """About `pages` distractor pages beside the demo; returns the number created."""
    prose = Prose()
    home = HomePage.objects.first()
    news_root = _container(home, "Nyheter", "distraktor-nyheter")
    guidance_root = _container(home, "Medarbetarwebben", "distraktor-medarbetare")
    writer = search_data.TreeWriter()
    titles = set()
    for n in range(int(pages * NEWS_SHARE)):
        # Intranet news rarely repeats a title: a few draws for one not yet used.
        for _draw in range(10):
            title = "Nyhet: " + prose.fill(rng, rng.choice(NEWS))
            if title not in titles:
                break
        titles.add(title)
        writer.add(news_root, Page(title=title, slug=f"nyhet-{n}"))
    for n in range(int(pages * GUIDANCE_SHARE)):
        writer.add(
            guidance_root,
            SteeringDocumentPage(
                title=prose.fill(rng, rng.choice(GUIDANCE)),
                slug=f"dokument-{n}",
                kind="annat",
                summary=f"<p>{prose.sentence(rng, 40)}</p>",
            ),
        )
    writer.flush()
    created = 2 + writer.written
    created += _committees(pages - created, rng, prose, writer, out)
    writer.finish()
    return created


def _committees(budget, rng, prose, writer, out):
    """The other committees of each demo municipality, with a reglemente and records, about `budget` pages."""
    sections = [(s, ForumIndexPage.objects.child_of(s).first()) for s in SectionPage.objects.order_by("path")]
    sections = [(s, index) for s, index in sections if index is not None]
    forums = []
    for section, index in sections:
        for name, kind, series in COMMITTEES:
            forum = writer.add(
                index,
                ForumPage(
                    title=name,
                    slug=f"distraktor-{series.lower()}",
                    kind=kind,
                    level="politisk" if kind == "namnd" else "strategisk",
                    purpose=f"<p>{prose.sentence(rng, 30)}</p>",
                    tasks=f"<p>{prose.sentence(rng, 40)}</p>",
                ),
            )
            forums.append((section, forum, name, series))
    writer.flush()  # the forums need their ids before children go below them
    records = max(0, round(budget / len(forums)) - 2)
    for f, (section, forum, name, series) in enumerate(forums):
        search_data.add_forum_children(
            writer,
            rng,
            prose.sentence,
            forum,
            f,
            section.title,
            f"Reglemente för {name}",
            "reglemente",
            records=records,
            series=series,
            heading=prose.matter,
        )
        out(f"  {name}, {section.title}: {records} records")
    return len(forums) * (2 + records)
