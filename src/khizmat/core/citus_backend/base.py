"""Django's PostgreSQL backend for a Citus coordinator (``DATABASE_CITUS=1``; docs/deploy.md "Citus").

Once distributed (``khizmat distribute``), a tenant table's primary key is ``(organization_id, id)`` in the database
while Django still knows ``id`` alone. PostgreSQL lets a query select every column of a row grouped by its primary key,
and Django's PostgreSQL backend relies on it (``GROUP BY t.id``); with the composite key that grouping no longer
covers ``organization_id``. This backend lists every selected column in ``GROUP BY`` instead, as Django does for
databases without that rule; everything else is Django's PostgreSQL backend.
"""

from django.db.backends.postgresql import base, features


class DatabaseFeatures(features.DatabaseFeatures):
    allows_group_by_selected_pks = False


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
