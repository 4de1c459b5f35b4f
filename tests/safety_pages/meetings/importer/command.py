"""Running `manage.py import_minutes` in the importer's tests, and the minutes they read."""

import io
import json
from pathlib import Path

from django.core.management import call_command

FILES = Path(__file__).parent / "minutes_files"
SEED_002 = FILES / "seed_002_ks_2017_152.txt"  # copies of shared/seeds/002 and 004
SEED_004 = FILES / "seed_004_ks_2017_215.txt"


def run(*args, stderr=None):
    out = io.StringIO()
    call_command("import_minutes", *[str(a) for a in args], stdout=out, stderr=stderr or io.StringIO())
    return out.getvalue()


def dry_json(path, forum):
    return json.loads(run(path, "--forum", forum.pk, "--dry-run", "--json"))


TEXT_VARIANTS = """Kommunstyrelsen
Sammanträdesdatum 2021-03-15

KS § 345 Dnr KS 2021/331 Trygghetsvandringar i centrum

Ärendebeskrivning
Polisen och kommunen föreslår trygghetsvandringar.

Postadress
Exempels kommun
123 45 EXEMPELSTAD
Besöksadress Storgatan 1
Telefon 010-123 45 67
Sida 2 (3)

fortsättning KS § 345

Vandringarna genomförs under våren.

Beslut
Kommunstyrelsen beslutar att genomföra trygghetsvandringar.

Beslutet skickas till: Polisen, Akten

§346
Dnr KS2009/126-00
Ny ordning för synpunkter
Bakgrund
Datum
2021-03-01
Diarienummer
KS 2021/400
Texten fortsätter efter sidhuvudet.
Beslut
Kommunstyrelsen godkänner ordningen.
Expedieras till:
Kommunledningskontoret
"""
