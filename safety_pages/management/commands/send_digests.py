from django.core.management.base import BaseCommand
from django.db import transaction

from safety_pages.following.digests import queue_digests


class Command(BaseCommand):
    help = (
        "Köar en sammanfattning per bevakare med det som publicerats sedan förra sammanfattningen och som "
        "bevakaren får läsa. Körs varje dag av cron; e-posten skickas av `manage.py db_worker --backend notices`."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            queued = queue_digests()
        self.stdout.write(self.style.SUCCESS(f"{len(queued)} sammanfattningar köade."))
