"""The `routinie` command: Django's manage.py with Routinie's settings preset."""

import os
import sys

# Command names people type that are not importable module names (a hyphen): the command
# module is `mail_in`, and `routinie mail_in` works as well.
ALIASES = {"mail-in": "mail_in", "stats-refresh": "stats_refresh"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "routinie.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    if len(argv) > 2 and argv[1] == "help":
        argv[2] = ALIASES.get(argv[2], argv[2])
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
