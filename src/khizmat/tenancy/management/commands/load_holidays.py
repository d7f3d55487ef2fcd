from django.core.management.base import BaseCommand, CommandError

from khizmat.tenancy.holiday_data import SUPPORTED_COUNTRIES
from khizmat.tenancy.models import Country
from khizmat.tenancy.services import calendar_load_official_days


class Command(BaseCommand):
    help = (
        "Load public holidays and moved working days of Uzbekistan and Kyrgyzstan for the given years; "
        "administrators' edits are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", required=True, help="A year; repeat for several."
        )
        parser.add_argument("--country", action="append", choices=SUPPORTED_COUNTRIES, help="Default: all.")

    def handle(self, *args, year, country, **options):
        codes = country or list(SUPPORTED_COUNTRIES)
        for code in codes:
            try:
                land = Country.objects.get(code=code)
            except Country.DoesNotExist as error:
                raise CommandError(f"Country {code} is missing: run 'khizmat migrate' first.") from error
            count = calendar_load_official_days(country=land, years=year)
            self.stdout.write(
                f"{code}: {count} public holidays and moved working days loaded for {', '.join(map(str, year))}."
            )
