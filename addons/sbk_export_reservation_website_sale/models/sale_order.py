from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _get_cart_and_free_qty(self, product, line=None):
        # What adding to the cart and checking out may take: not what export orders hold.
        cart_qty, free_qty = super()._get_cart_and_free_qty(product, line=line)
        product = product or line.product_id
        if product:
            held = product._sbk_get_export_held(self.website_id.warehouse_id).get(product, 0.0)
            free_qty = max(free_qty - held, 0.0) if held else free_qty
        return cart_qty, free_qty
