from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _get_max_available_qty(self):
        held = self.product_id._sbk_get_export_held(self.order_id.website_id.warehouse_id)
        return super()._get_max_available_qty() - held.get(self.product_id, 0.0)
