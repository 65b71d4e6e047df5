"""Quoted FOB / CIF prices: the order's FOB and CIF values become the values quoted on each term,
and the values derived from the costs move to ``sbk_fob_declared`` / ``sbk_cif_derived``. Before
this version nothing was quoted, so the derived values are the stored ones; the cron recomputes
the rest (which term pays) in batches after the upgrade."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE sale_order
           SET sbk_fob_declared = sbk_fob_revenue,
               sbk_cif_derived = sbk_cif_revenue
        """
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    orders = env["sale.order"].search([("state", "!=", "cancel")])
    if orders:
        orders._sbk_mark_cost_pending()
