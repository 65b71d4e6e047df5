"""Expected profit, cost statuses and recompute state are new: the cron fills them in for the
orders that exist (in batches, after the upgrade, rather than during it)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    orders = env["sale.order"].search([("state", "!=", "cancel")])
    if orders:
        orders._sbk_mark_cost_pending()
