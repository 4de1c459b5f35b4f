from django.core.management.base import BaseCommand, CommandError

from safety_pages.access import roles
from safety_pages.editing.workflows import ensure_workflows


class Command(BaseCommand):
    help = (
        "Skapar grupperna Redaktörer, Granskare, Medarbetare och Administratörer med rättigheter på "
        "startsidans sidträd och samlingarna, samt arbetsflödet Granskning (kan köras igen)."
    )

    def handle(self, *args, **options):
        root = roles.default_root()
        if root is None:
            raise CommandError("Ingen standardsajt med startsida finns: kör migrate och skapa sajten först.")
        ensure_workflows(root)
        self.stdout.write(self.style.SUCCESS(f"Roller och arbetsflöde är klara på ”{root.title}”."))
