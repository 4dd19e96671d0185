from typing import Any

from django.core.management.base import BaseCommand

from accounts.services import delete_sessions_over


class Command(BaseCommand):
    help = "Delete the login sessions that have ended or expired. Run it daily, from cron or a scheduler."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = delete_sessions_over()
        self.stdout.write(f"Deleted {deleted} login session{'' if deleted == 1 else 's'} that can no longer be used.")
