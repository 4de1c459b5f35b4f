"""Files the importer must refuse, naming the file and the reason, and the command's exit status."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError

from safety_pages.models import MeetingRecordPage
from tests import builders
from tests.safety_pages.meetings.importer.command import run

ROOT = Path(__file__).resolve().parents[4]


def _refused(path, forum, reason):
    with pytest.raises(CommandError) as error:
        run(path, "--forum", forum.pk)
    message = str(error.value)
    assert str(path) in message and reason in message
    assert not MeetingRecordPage.objects.child_of(forum).exists()
    return message


@pytest.mark.django_db
def test_broken_input_is_refused_naming_the_file_and_reason(forum, tmp_path):
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    _refused(empty, forum, "filen är tom")
    blank = tmp_path / "blank.txt"
    blank.write_text("   \n\n  \n", encoding="utf-8")
    _refused(blank, forum, "filen innehåller ingen text")
    garbage = tmp_path / "skrap.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    _refused(garbage, forum, "binär")
    no_paragraph = tmp_path / "brev.txt"
    no_paragraph.write_text("Hej!\nHär kommer ett brev utan paragrafer.\n", encoding="utf-8")
    _refused(no_paragraph, forum, "hittade ingen paragraf")
    image_only = tmp_path / "skannad.pdf"
    image_only.write_bytes(builders.minutes_pdf([[]]))
    _refused(image_only, forum, "PDF-filen innehåller ingen text")
    not_pdf = tmp_path / "trasig.pdf"
    not_pdf.write_bytes(b"%PDF-1.4 detta ar ingen pdf")
    _refused(not_pdf, forum, "kan inte läsas som PDF")
    not_docx = tmp_path / "trasig.docx"
    not_docx.write_bytes(b"PK\x03\x04 inte ett zip-arkiv")
    _refused(not_docx, forum, "kan inte läsas som Word-dokument")
    _refused(tmp_path / "saknas.txt", forum, "filen finns inte")
    odt = tmp_path / "protokoll.odt"
    odt.write_text("§ 1", encoding="utf-8")
    _refused(odt, forum, "filtypen .odt stöds inte")


def test_command_exits_with_status_1_on_broken_input(tmp_path):
    garbage = tmp_path / "skrap.txt"
    garbage.write_bytes(b"\x00\x01\x02" * 50)
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_minutes", str(garbage), "--forum", "1", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert str(garbage) in completed.stderr and "binär" in completed.stderr
