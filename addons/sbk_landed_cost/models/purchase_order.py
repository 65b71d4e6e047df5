from odoo import models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_approve(self, force=False):
        # A confirmed purchase is a committed cost of the order it serves: recompute once,
        # after its receipts exist.
        result = super(
            PurchaseOrder, self.with_context(sbk_skip_cost_recompute=True)
        ).button_approve(force=force)
        self._sbk_sale_orders()._sbk_update_costs()
        return result

    def button_cancel(self):
        orders = self._sbk_sale_orders()
        result = super(
            PurchaseOrder, self.with_context(sbk_skip_cost_recompute=True)
        ).button_cancel()
        orders._sbk_update_costs()
        return result

    def _sbk_sale_orders(self):
        # Superuser: a buyer need not read the export order the purchase serves.
        return self.sudo().sbk_sale_order_id
