from odoo import models


class Website(models.Model):
    _inherit = "website"

    def _get_product_available_qty(self, product, **kwargs):
        # What the product page, the sold-out ribbons and the abandoned-cart mails show.
        free = super()._get_product_available_qty(product, **kwargs)
        held = product._sbk_get_export_held(self.warehouse_id).get(product, 0.0)
        return max(free - held, 0.0) if held else free
