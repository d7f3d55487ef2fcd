from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from khizmat.tenancy.distribution import DistributionRefused, distribute, plan


class Command(BaseCommand):
    help = (
        "Distribute the schema on Citus: every tenant table by organization (colocated), the shared tables they "
        "point to as reference tables. Run after 'migrate'; running it again completes or confirms the work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Print the plan and what would stop it; change nothing."
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, check, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError(_("Citus distribution needs PostgreSQL with the citus extension."))
        if check:
            result = plan(connection)
            self.stdout.write(
                _(
                    "%(distributed)s tenant tables to distribute by organization (%(done)s already), %(reference)s "
                    "shared tables as reference tables, %(keys)s foreign keys to rebuild (%(composite)s through the "
                    "organization)."
                )
                % {
                    "distributed": len(result.distributed),
                    "done": len(result.already_distributed & set(result.distributed)),
                    "reference": len(result.reference),
                    "keys": len(result.foreign_keys),
                    "composite": sum(result.composite(k) for k in result.foreign_keys),
                }
            )
            self.stdout.write(_("Reference tables: %(tables)s") % {"tables": ", ".join(result.reference)})
            for problem in result.problems:
                self.stderr.write(problem)
            if result.problems:
                raise CommandError(
                    _("The schema would not distribute: %(count)s problems above.")
                    % {"count": len(result.problems)}
                )
            return
        try:
            result = distribute(
                connection, log=self.stdout.write if options["verbosity"] > 1 else lambda line: None
            )
        except DistributionRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("Nothing was distributed: %(count)s problems above.") % {"count": len(refused.problems)}
            ) from None
        self.stdout.write(
            _("Distributed: %(distributed)s tenant tables by organization, %(reference)s reference tables.")
            % {"distributed": len(result.distributed), "reference": len(result.reference)}
        )
