# Races need committed transactions on separate connections: committing is the point.
# pylint: disable=invalid-commit
import threading

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tools import mute_logger

SERIALIZATION_FAILURE = "serialization failure"


class ConnectionsMixin:
    """Environments on database connections of their own, for tests of concurrent
    transactions (the test's own transaction cannot be seen from other connections)."""

    def _connections(self, count, uid=SUPERUSER_ID):
        """Environments made here: the test thread holds the registry lock, so another thread
        may not look the registry up itself."""
        envs = []
        for _i in range(count):
            cr = db_connect(self.env.cr.dbname).cursor()
            self.addCleanup(cr.close)
            envs.append(api.Environment(cr, uid, {}))
        return envs

    def _race(self, holder, waiter, uid=SUPERUSER_ID, waiter_snapshot_first=False, hold=1.0):
        """Run ``holder(env)`` and ``waiter(env)`` in two transactions at once.

        ``holder`` works first and keeps its transaction (and the rows it locked) open for
        ``hold`` seconds while ``waiter`` works on a snapshot taken before ``holder`` commits:
        before ``holder`` even starts with ``waiter_snapshot_first``, else right after its
        work. Both commit. Returns ``{"holder": ..., "waiter": ...}``, each the function's
        result, or ``"serialization failure"`` for a waiter that PostgreSQL refused (Odoo
        retries such a request: a test runs the retry itself).
        """
        env_holder, env_waiter = self._connections(2, uid)
        holder_done, waiter_ready = threading.Event(), threading.Event()
        outcome = {}

        def take_snapshot():
            env_waiter.cr.execute("SELECT 1")  # the transaction's snapshot starts here
            waiter_ready.set()

        def run_waiter():
            if waiter_snapshot_first:
                take_snapshot()
            holder_done.wait(30)
            if not waiter_snapshot_first:
                take_snapshot()
            try:
                outcome["waiter"] = waiter(env_waiter)
                env_waiter.cr.commit()
            except errors.SerializationFailure:
                env_waiter.cr.rollback()
                outcome["waiter"] = SERIALIZATION_FAILURE

        def run_holder():
            if waiter_snapshot_first:
                waiter_ready.wait(30)
            outcome["holder"] = holder(env_holder)
            holder_done.set()
            waiter_ready.wait(30)
            threading.Event().wait(hold)
            env_holder.cr.commit()

        threads = [threading.Thread(target=run_waiter), threading.Thread(target=run_holder)]
        # The refused transaction's query is logged as an error: expected here.
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        return outcome
