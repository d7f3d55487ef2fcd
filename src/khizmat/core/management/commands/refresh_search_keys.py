from django.apps import apps
from django.core.management.base import BaseCommand

from khizmat.core.search_refresh import refresh_search_keys


class Command(BaseCommand):
    help = "Recompute the stored search keys (names in every script) after the folding rules changed."

    def handle(self, *args, **options):
        changed = refresh_search_keys(apps)
        self.stdout.write(f"{changed} search keys updated.")
