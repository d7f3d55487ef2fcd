"""Django's PostgreSQL backend for a Citus coordinator (``DATABASE_CITUS=1``; docs/deploy.md "Citus").

Once distributed (``khizmat distribute``), a tenant table's primary key is ``(organization_id, id)`` in the database
while Django still knows ``id`` alone. PostgreSQL lets a query select every column of a row grouped by its primary key,
and Django's PostgreSQL backend relies on it (``GROUP BY t.id``); with the composite key that grouping no longer
covers ``organization_id``. This backend lists every selected column in ``GROUP BY`` instead, as Django does for
databases without that rule.

A unique violation found on a worker while the coordinator inserts several rows reaches the client as an internal
error (SQLSTATE XX000) with PostgreSQL's own message; the services catch ``IntegrityError`` to answer a conflict
cleanly, so this backend raises that for it. Everything else is Django's PostgreSQL backend.
"""

from functools import cached_property

from django.db import IntegrityError
from django.db.backends.postgresql import base, features
from django.db.utils import DatabaseErrorWrapper

UNIQUE_VIOLATION = "duplicate key value violates unique constraint"


class DatabaseFeatures(features.DatabaseFeatures):
    allows_group_by_selected_pks = False


class CitusErrorWrapper(DatabaseErrorWrapper):
    def __exit__(self, exc_type, exc_value, traceback):
        if (
            exc_type is not None
            and issubclass(exc_type, self.wrapper.Database.InternalError)
            and str(exc_value).startswith(UNIQUE_VIOLATION)
        ):
            raise IntegrityError(*exc_value.args).with_traceback(traceback) from exc_value
        return super().__exit__(exc_type, exc_value, traceback)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    @cached_property
    def wrap_database_errors(self):
        return CitusErrorWrapper(self)
