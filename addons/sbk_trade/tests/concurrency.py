# Races need committed transactions on separate connections: committing is the point.
from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect


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
