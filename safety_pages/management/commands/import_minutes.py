"""Import existing minutes (.txt, .docx, .pdf) as an unpublished draft record of a forum."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from safety_pages.meetings.importer.draft import (
    create_draft_record,
    duplicate_reason,
    duplicates,
    file_digest,
    find_forum,
)
from safety_pages.meetings.importer.parse import parse_file
from safety_pages.meetings.importer.read import MinutesImportError


class Command(BaseCommand):
    help = _(
        "Läser ett befintligt protokoll (.txt, .docx eller .pdf) och skapar ett opublicerat utkast till "
        "sammanträdesprotokoll under forumet."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("protokollfilen"))
        parser.add_argument("--forum", required=True, help=_("forumsidans id eller slug (eller kommun/slug)"))
        parser.add_argument("--dry-run", action="store_true", help=_("visa vad som hittades utan att spara något"))
        parser.add_argument("--json", action="store_true", help=_("skriv resultatet som JSON"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("importera även när filen redan är importerad eller forumet har ett protokoll från samma datum"),
        )

    def handle(self, *args, **options):
        path, forum, dry_run, as_json = options["path"], options["forum"], options["dry_run"], options["json"]
        name = Path(path).name
        try:
            parsed = parse_file(path)
            forum_page = find_forum(forum)
        except MinutesImportError as error:
            raise CommandError(f"{path}: {error}") from error
        digest = file_digest(Path(path).read_bytes())
        # The same check as the admin's review step: a second import is refused unless asked for.
        reasons = [
            duplicate_reason(record, why, name) for record, why in duplicates(forum_page, parsed.meeting_date, digest)
        ]
        result = parsed.as_json()
        if reasons and not (dry_run or options["force"]):
            raise CommandError(f"{path}: " + "; ".join(reasons) + _(". Importera ändå med --force."))
        for reason in reasons:  # on stderr, so that --json stays the parsed minutes alone
            self.stderr.write(_("Varning: %(reason)s.") % {"reason": reason})
        if dry_run:
            self._report(result, as_json, created=None)
            return
        # One transaction: a refusal at any step (a number, a case, the page itself) leaves nothing behind.
        try:
            with transaction.atomic():
                record = create_draft_record(forum_page, parsed, name, digest=digest)
        except MinutesImportError as error:
            raise CommandError(f"{path}: {error}") from error
        except ValidationError as error:
            raise CommandError(f"{path}: {'; '.join(error.messages)}") from error
        self._report(result, as_json, created=record)

    def _report(self, result, as_json, created):
        if created is not None:
            result = {**result, "created": {"id": created.pk, "title": created.title, "live": created.live}}
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Sammanträdesdatum: %(date)s. Organ: %(body)s.")
            % {"date": result["meeting_date"] or _("hittades inte"), "body": result["body"] or _("hittades inte")}
        )
        for paragraph in result["paragraphs"]:
            self.stdout.write(
                f"§ {paragraph['number']} {paragraph['title']}"
                + (f" (Dnr {paragraph['case_number']})" if paragraph["case_number"] else "")
            )
        if created is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Skapade utkastet ”%(title)s” (id %(id)s, inte publicerat): /admin/pages/%(id)s/edit/")
                    % {"title": created.title, "id": created.pk}
                )
            )
        else:
            self.stdout.write(_("Provkörning: inget sparades."))
