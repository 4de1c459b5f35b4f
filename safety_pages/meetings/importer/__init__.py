"""Reading existing minutes (.txt, .docx, .pdf) into paragraphs, for `manage.py import_minutes`.

Swedish minutes share one structure: a header with the body and the meeting
date, then numbered paragraphs ("§ 36", "KS § 345") each with a Dnr, a title
and sections (Bakgrund, Sammanfattning, Beslutsunderlag, Yrkande, förslag
till beslut, Beslut, "Beslutet skickas till"). Extracts often carry the
documents the decision was based on (missiv) after the paragraph, and every
page carries the municipality's letterhead (address block, Datum,
Diarienummer). The parser works on text lines, so all three formats share it.
One module per step, each importing only the ones before it:

1. `read`: the file's text as pages of lines (and `MinutesImportError`),
2. `letterhead`: drop running headers and footers repeated on several pages,
   then the letterhead blocks wherever they are (`dates` reads the dates both
   this step and the next need); `runon` cuts a page whose text ran together
   into one line again at its paragraph and section headings,
3. `parse`: walk the lines: header → paragraph → sections, a paragraph ending
   after its distribution list ("Beslutet skickas till"); `header` reads the
   header's form (place and time, attendance, justerare, anslag); `parse_file`
   runs steps 1 to 3,
4. `draft`: the forum to import into and the unpublished record; the only
   step that touches the database.

The package itself imports none of them: callers import the step they use,
so that reading a file does not load the page models the draft step needs.
"""
