from odoo import models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_cancel(self):
        # Superuser: a buyer need not read the export order the purchase serves.
        orders = self.sudo().sbk_sale_order_id
        result = super().button_cancel()
        orders._sbk_with_sharing_orders()._sbk_recompute_costs()
        return result
