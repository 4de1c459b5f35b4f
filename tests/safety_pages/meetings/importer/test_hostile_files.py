"""Hostile and oversized minutes files: refused with the file and the reason in Swedish, nothing written.

Each case here used to end in a raw traceback (a Word package without a body, XML that does not parse, a file name
too long for a page title) or in minutes of work (a 20 MB text).
"""

import zipfile

import pytest
from django.core.management import CommandError
from wagtail.models import ReferenceIndex, Revision

from safety_pages.meetings.importer import parse, read
from safety_pages.models import Case, MeetingRecordPage, Paragraph
from tests import builders
from tests.safety_pages.meetings.importer.command import run

pytestmark = pytest.mark.django_db

# A paragraph with a case number: an import that got as far as the draft would register the case.
ONE_PARAGRAPH = "§ 12\nDnr KS 2026/4711\nFientlig fil\nBeslut\nKommunstyrelsen beslutar.\n"
EMPTY_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>'
)


def _rows():
    return MeetingRecordPage.objects.count(), Case.objects.count(), Revision.objects.count()


def _refused(path, forum, reason):
    before = _rows()
    with pytest.raises(CommandError) as error:
        run(path, "--forum", forum.pk)
    message = str(error.value)
    assert str(path) in message and reason in message, message
    assert _rows() == before
    return message


def _docx_with(tmp_path, name, replace=None, drop=()):
    """A real Word document with parts replaced or dropped."""
    good = builders.minutes_docx(tmp_path / "hel.docx", [(line, False) for line in ONE_PARAGRAPH.splitlines()])
    path = tmp_path / name
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            if item.filename not in drop:
                target.writestr(item, (replace or {}).get(item.filename, source.read(item.filename)))
    return path


def test_a_zip_with_content_types_but_no_document_is_refused(forum, tmp_path):
    path = tmp_path / "bara-typer.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", EMPTY_TYPES)
    _refused(path, forum, "kan inte läsas som Word-dokument")
    _refused(_docx_with(tmp_path, "utan-dokument.docx", drop=("word/document.xml",)), forum, "Word-dokument")


def test_a_word_document_without_a_body_is_refused(forum, tmp_path):
    bodiless = (
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    )
    path = _docx_with(tmp_path, "utan-brodtext.docx", replace={"word/document.xml": bodiless})
    _refused(path, forum, "saknar brödtext")


@pytest.mark.parametrize("part", ["word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/styles.xml"])
def test_a_word_document_with_corrupt_xml_is_refused(forum, tmp_path, part):
    good = builders.minutes_docx(tmp_path / "hel.docx", [("§ 1", False)])
    with zipfile.ZipFile(good) as source:
        cut = source.read(part)[: len(source.read(part)) // 2]
    path = _docx_with(tmp_path, "trasig-xml.docx", replace={part: cut})
    _refused(path, forum, "kan inte läsas som Word-dokument")


def test_a_file_name_too_long_for_the_title_is_refused_and_nothing_is_written(forum, tmp_path):
    # No meeting date, so the file name becomes the title: 22 characters of "Importerat protokoll: " and 240 more.
    path = tmp_path / ("p" * 236 + ".txt")
    path.write_text(ONE_PARAGRAPH, encoding="utf-8")
    _refused(path, forum, "byt till ett kortare filnamn")
    assert not Case.objects.filter(number="KS 2026/4711").exists()


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(forum, tmp_path):
    path = tmp_path / "jattestor.txt"
    with path.open("wb") as sparse:
        sparse.truncate(read.MAX_FILE_BYTES + 1)
    _refused(path, forum, "filen är för stor")


def test_a_text_longer_than_the_limit_is_refused(forum, tmp_path):
    path = tmp_path / "lang.txt"
    path.write_text(ONE_PARAGRAPH * (read.MAX_TEXT_CHARS // len(ONE_PARAGRAPH) + 1), encoding="utf-8")
    assert path.stat().st_size < read.MAX_FILE_BYTES
    _refused(path, forum, "texten är för lång")


def test_a_word_document_that_unpacks_past_the_limit_is_refused(forum, tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_UNPACKED_BYTES", 10_000)
    good = builders.minutes_docx(tmp_path / "hel.docx", [("§ 1", False)])
    with zipfile.ZipFile(good) as source:
        # A comment after the root element is valid XML, and spaces pack to almost nothing.
        padded = source.read("word/document.xml") + b"<!--" + b" " * 20_000 + b"-->"
    _refused(_docx_with(tmp_path, "packad.docx", replace={"word/document.xml": padded}), forum, "för stort uppackat")


def test_more_paragraphs_than_one_record_can_hold_are_refused(forum, tmp_path):
    path = tmp_path / "manga.txt"
    path.write_text("".join(f"§ {n}\nPunkt {n}\n" for n in range(1, parse.MAX_PARAGRAPHS + 2)), encoding="utf-8")
    _refused(path, forum, "paragrafer")


def test_a_header_listing_more_attendees_than_a_meeting_has_is_refused_naming_the_count(forum, tmp_path):
    """A hostile 1 MB header was read as 16 000 attendees; the secretary is told how many names it holds instead."""
    first = ["Anna", "Bo", "Cecilia", "David", "Eva", "Fredrik", "Greta", "Hans", "Ingrid", "Johan", "Karin", "Lars"]
    last = [
        "Andersson",
        "Berg",
        "Carlsson",
        "Dahl",
        "Ek",
        "Falk",
        "Gran",
        "Holm",
        "Ivarsson",
        "Jonsson",
        "Karlsson",
        "Lund",
        "Malm",
        "Nord",
        "Olsson",
        "Palm",
        "Qvist",
        "Rask",
        "Sand",
        "Torn",
        "Udd",
        "Vik",
        "Wall",
        "Ås",
        "Öberg",
        "Björk",
        "Ceder",
        "Dunér",
    ]
    names = [f"{given} {family} (S)" for family in last for given in first][: parse.MAX_ATTENDEES + 1]
    path = tmp_path / "fientligt_huvud.txt"
    path.write_text("Beslutande\n" + "\n".join(names) + "\n\n" + ONE_PARAGRAPH, encoding="utf-8")
    message = _refused(path, forum, "närvarolistan")
    assert f"{parse.MAX_ATTENDEES + 1} namn" in message


def test_an_import_indexes_the_records_references_once_not_once_per_paragraph(forum, tmp_path, monkeypatch):
    """Wagtail re-indexed the whole page's references after every paragraph row was saved, so each paragraph cost
    more than the one before: a 20 MB text took minutes."""
    indexed = []
    original = ReferenceIndex.create_or_update_for_object.__func__
    monkeypatch.setattr(
        ReferenceIndex,
        "create_or_update_for_object",
        classmethod(lambda cls, instance, **kw: indexed.append(type(instance)) or original(cls, instance, **kw)),
    )
    path = tmp_path / "trettio.txt"
    path.write_text(
        "Kommunstyrelsen\n" + "".join(f"§ {n}\nPunkt {n}\nBeslut\nBifall.\n" for n in range(1, 31)), encoding="utf-8"
    )
    run(path, "--forum", forum.pk)
    assert len([kind for kind in indexed if kind in (MeetingRecordPage, Paragraph)]) == 1, indexed
