"""`routinie serve`: the production web server with the task worker beside it (`make run`).

`--dev` is for developers instead: Django's development server, which reloads on every change
of the code (`make dev`); never for users.
"""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.wsgi import get_wsgi_application
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from routinie.core.companions import start_companions
from routinie.core.periodic import start_periodic_jobs
from routinie.core.supervisor import Supervised
from routinie.core.web_server import EmbeddedGunicorn, gunicorn_options


def _where_mail_goes() -> str:
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    return {
        "console": "printed in this terminal",
        "filebased": f"written to {getattr(settings, 'EMAIL_FILE_PATH', '')}",
    }.get(backend, f"sent through {backend}")


def _unapplied_migrations() -> bool:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _server_config(options: dict[str, Any]) -> dict[str, Any]:
    """Gunicorn's options from the command line and WEB_WORKERS / WEB_THREADS."""
    try:
        return gunicorn_options(
            bind=f"{options['host']}:{options['port']}",
            workers=options["workers"],
            threads=options["threads"],
            access_log="-" if options["access_log"] else None,
        )
    except ValueError as error:  # WEB_WORKERS or WEB_THREADS that is not a whole number
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = "Serve the platform (gunicorn, two processes per CPU) with the task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers", type=int, help="web worker processes (default: WEB_WORKERS or 2 per CPU)"
        )
        parser.add_argument(
            "--threads", type=int, help="threads per worker (default: WEB_THREADS or 1)"
        )
        parser.add_argument(
            "--access-log", action="store_true", help="print a line per request (no addresses)"
        )
        parser.add_argument(
            "--dev", action="store_true", help="development server with auto-reload (not for users)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, highest in (("port", 65535), ("workers", 256), ("threads", 256)):
            if options[name] is not None and not 1 <= options[name] <= highest:
                raise CommandError(f"--{name} must be between 1 and {highest}")
        if _unapplied_migrations():
            raise CommandError("The database is not up to date: run `routinie migrate` first.")
        config = None if options["dev"] else _server_config(options)  # refused before any start
        reloading_child = os.environ.get("RUN_MAIN") == "true"  # runserver's reloaded process
        site = f"http://{options['host']}:{options['port']}"
        serving_pid = os.getpid()
        companions = [] if reloading_child else start_companions(site)  # before the worker: it
        for name, _ in companions:  # and the web processes inherit what a companion configures
            self.stdout.write(f"Started beside the server: {name}.")
        worker = None if reloading_child else self._start_task_worker(reload=options["dev"])
        try:
            if config is None:
                self._serve_dev(options, announce=not reloading_child)
            else:
                self._serve(config, url=f"{site}/", worker=worker)
        finally:
            # Gunicorn's web workers are forked from this process and leave through this same
            # `finally` when they exit: only the process that started the others stops them.
            if os.getpid() == serving_pid:
                if worker is not None:
                    worker.stop()
                for _, stop in companions:
                    stop()

    def _start_task_worker(self, *, reload: bool) -> Supervised:
        """The task worker, started again whenever it stops (see core/supervisor.py)."""
        queued = start_periodic_jobs()
        command = [sys.executable, "-m", "routinie", "db_worker", "--interval", "1"]
        worker = Supervised(
            "The task worker",
            [*command, *([] if reload else ["--no-reload"])],
            max_wait=settings.TASK_WORKER_RESTART_MAX_SECONDS,
        )
        self.stdout.write(
            f"Background tasks: worker running (pid {worker.pid}, started again if it stops)"
            + (f"; queued: {', '.join(queued)}." if queued else ".")
        )
        self.stdout.write(f"E-mail: {_where_mail_goes()} (EMAIL_URL changes it).")
        return worker

    def _serve(self, config: dict[str, Any], *, url: str, worker: Supervised | None) -> None:
        application = get_wsgi_application()
        connections.close_all()  # the worker processes open their own

        def ready() -> None:
            self.stdout.write(
                f"Web server: {config['workers']} processes x {config['threads']} threads."
            )
            self.stdout.write(f"Routinie: {url}  (Ctrl-C stops it)")
            self.stdout.flush()

        on_stopping = worker.stopping if worker is not None else None
        EmbeddedGunicorn(application, config, on_ready=ready, on_stopping=on_stopping).run()

    def _serve_dev(self, options: dict[str, Any], *, announce: bool) -> None:
        if announce:
            self.stdout.write("Development server (reloads on code changes; not for users).")
        address = f"{options['host']}:{options['port']}"
        call_command("runserver", address, use_reloader=True)
