from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    sbk_export_locked_qty = fields.Float(
        string="Export Locked",
        compute="_compute_sbk_export_quantities",
        digits="Product Unit of Measure",
        help="Held by active export locks and not delivered yet.",
    )
    sbk_domestic_available_qty = fields.Float(
        string="Available for Domestic",
        compute="_compute_sbk_export_quantities",
        digits="Product Unit of Measure",
        help="On hand minus reserved minus what export locks hold: what any other order "
        "can still reserve.",
    )

    def _compute_sbk_export_quantities(self):
        # Same location context as Odoo's quantities (warehouse_id, location).
        quant_domain, _in_domain, _out_domain = self._get_domain_locations()
        locks = self.env["sbk.export.lock"].search(
            [("state", "=", "active"), ("product_id", "in", self.ids), *quant_domain]
        )
        held = dict(
            self.env["sbk.export.lock"]._read_group(
                [("id", "in", locks.ids)], ["product_id"], ["remaining_qty:sum"]
            )
        )
        unreserved = locks._get_unreserved_held()
        for product in self:
            product.sbk_export_locked_qty = held.get(product, 0.0)
            product.sbk_domestic_available_qty = max(
                product.free_qty - unreserved.get(product, 0.0), 0.0
            )

    def _sbk_get_free_qty(self, warehouse, exclude_sale_order=None):
        free = super()._sbk_get_free_qty(warehouse, exclude_sale_order)
        held = (
            self.env["sbk.export.lock"]
            ._get_active_locks(self, warehouse, exclude_sale_order)
            ._get_unreserved_held()
        )
        return {product: qty - held.get(product, 0.0) for product, qty in free.items()}

    def _sbk_get_export_held(self, warehouse=None):
        """{product: qty} active export locks hold in ``warehouse`` (every warehouse if empty)
        and their orders' deliveries have not reserved: stock only those orders may take.
        Hook for sales channels that count free stock themselves (the online shop)."""
        domain = [("state", "=", "active"), ("product_id", "in", self.ids)]
        if warehouse:
            domain.append(("warehouse_id", "=", warehouse.id))
        return self.env["sbk.export.lock"].sudo().search(domain)._get_unreserved_held()
