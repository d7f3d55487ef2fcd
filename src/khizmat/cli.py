"""The ``khizmat`` console command: Django's management commands with Khizmat's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khizmat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["khizmat", *sys.argv[1:]])


if __name__ == "__main__":
    main()
