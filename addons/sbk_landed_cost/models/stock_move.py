from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._sbk_affected_orders()._sbk_update_costs()
        return moves

    def _action_cancel(self):
        orders = self._sbk_affected_orders()
        result = super()._action_cancel()
        orders._sbk_update_costs()
        return result

    def _sbk_affected_orders(self):
        """Orders whose procurement these moves change: deliveries, receipts of purchases
        generated for them, and their manufacturing orders' moves."""
        # Superuser: a warehouse user validating a transfer need not read the orders.
        moves = self.sudo()
        productions = moves.raw_material_production_id | moves.production_id
        orders = (
            moves.sale_line_id.order_id
            | moves.purchase_line_id.order_id.sbk_sale_order_id
            | productions.sbk_sale_order_id
            | productions.procurement_group_id.sale_id
        )
        return orders
