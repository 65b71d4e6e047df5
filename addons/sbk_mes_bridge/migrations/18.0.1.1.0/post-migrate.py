"""18.0.1.1.0: events keep a digest of their content (a reused message_id with other content is
a conflict); the events applied before get theirs from the payload they stored."""

import json

from odoo.addons.sbk_mes_bridge.tools.mes_protocol import event_digest
from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(SQL("SELECT id, payload FROM sbk_mes_event WHERE digest IS NULL"))
    for event_id, payload in cr.fetchall():
        try:
            digest = event_digest(json.loads(payload or "{}"))
        except ValueError:
            continue  # left empty: a repeat of it is answered as a duplicate, as before
        cr.execute(SQL("UPDATE sbk_mes_event SET digest = %s WHERE id = %s", digest, event_id))
