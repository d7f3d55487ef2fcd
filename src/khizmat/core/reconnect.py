"""Background work that outlives a database restart.

When PostgreSQL restarts (or a failover moves it), every open connection drops, mid-transaction or not, and the
statement that was running fails with an ``OperationalError``. The transaction it was in is rolled back by the server,
so a task whose work is made of committed steps (a billing run's chunks, a statement import) keeps what it committed
and nothing of the step that was cut off. :func:`retry_after_disconnect` then closes the dead connection, waits a
moment for the server to come back, and runs the task's body again, which continues from its last committed step.

Only a lost connection is retried: an error on a connection that still answers (a constraint, bad SQL, a lock
timeout) is raised at once, as is any error inside a transaction the caller holds (only the outermost level can
start again). This module is plumbing: it imports no domain app.
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)


# SQLSTATEs of a server going away: connection exceptions (class 08), and the server shutting down, crashed or not
# yet accepting connections while it starts again (57P01-57P03).
_SERVER_GONE = ("57P01", "57P02", "57P03")


def is_disconnect(error: BaseException) -> bool:
    """Whether ``error`` (Django's wrapper of a driver error) says the server dropped or refused the connection, as
    opposed to refusing a statement. Only PostgreSQL's driver tells the two apart; SQLite's errors never match."""
    cause = error.__cause__
    if cause is None or not type(cause).__module__.startswith("psycopg"):
        return False
    sqlstate = getattr(cause, "sqlstate", None)
    # No SQLSTATE: the client side found the connection closed or could not open it (server gone or restarting).
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in _SERVER_GONE


def retry_after_disconnect(function, *, delays=None):
    """``function()``, run again after each lost database connection, waiting ``delays`` seconds in turn
    (``settings.TASKS_RECONNECT_DELAYS`` by default); the last failure is raised. ``function`` must be safe to run
    again after a failure: each of its transactions all or nothing, and a rerun continuing from what was committed."""
    waits = list(settings.TASKS_RECONNECT_DELAYS if delays is None else delays)
    attempt = 0
    while True:
        try:
            return function()
        except (OperationalError, InterfaceError) as error:
            if attempt >= len(waits) or connection.in_atomic_block or not is_disconnect(error):
                raise
            logger.warning(
                "Database connection lost (%s); reconnecting in %ss and running again", error, waits[attempt]
            )
            connection.close()
            time.sleep(waits[attempt])
            attempt += 1
