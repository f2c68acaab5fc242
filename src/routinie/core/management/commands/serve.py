"""`routinie serve`: the web server and the task worker side by side (for `make run`)."""

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the platform on 127.0.0.1 with the task worker running beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = subprocess.Popen(
            [sys.executable, "-m", "routinie", "db_worker", "--no-reload", "--interval", "1"]
        )
        backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
        where = {
            "console": "printed in this terminal",
            "filebased": f"written to {getattr(settings, 'EMAIL_FILE_PATH', '')}",
        }.get(backend, f"sent through {backend}")
        from routinie.privacy.retention import schedule_daily_purge

        schedule_daily_purge()
        from routinie.stats.tasks import schedule_daily_stats_refresh

        schedule_daily_stats_refresh()
        self.stdout.write(
            f"Background tasks: worker running (pid {worker.pid}); "
            "daily purge and statistics queued."
        )
        self.stdout.write(f"E-mail: {where} (EMAIL_URL changes it).")
        self.stdout.write(f"Routinie: http://{options['host']}:{options['port']}/")
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
