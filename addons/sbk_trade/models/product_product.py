from odoo import api, models
from odoo.osv import expression
from odoo.tools import float_compare

from ..tools.packing import unpacked
from .product_template import sbk_name_domain


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if not value:
            return domain
        combine = (
            expression.AND if operator in expression.NEGATIVE_TERM_OPERATORS else expression.OR
        )
        return combine([domain, sbk_name_domain(operator, value)])

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """Odoo's progressive product search, then the English / Chinese names and aliases."""
        results = super().name_search(name, args, operator, limit)
        if not name or operator in expression.NEGATIVE_TERM_OPERATORS:
            return results
        if limit and len(results) >= limit:
            return results
        found_ids = [product_id for product_id, _name in results]
        domain = expression.AND(
            [args or [], [("id", "not in", found_ids)], sbk_name_domain(operator, name)]
        )
        extra = self.search_fetch(domain, ["display_name"], limit=limit and limit - len(results))
        return results + [(product.id, product.display_name) for product in extra]

    def _sbk_get_packing(self, quantity):
        """How ``quantity`` (in the product's UoM) of this product ships: a ``Packing`` with
        ``cartons``, ``pcs_last_carton``, ``volume`` (m³), ``net_weight`` and ``gross_weight``
        (kg), unrounded.

        The one answer for the packing list, the customs declaration and the cost weights.
        With a packing spec (``product.template._sbk_has_packing``: pieces per carton and a
        carton size) the cartons and figures follow the spec (docs/trade-formulas.md,
        "Packing"). Without one the goods count no cartons, weigh ``quantity`` x the product's
        weight (net and gross alike: no carton tare is known) and take ``quantity`` x its
        volume; the shipment warns about such products.
        """
        self.ensure_one()
        template = self.product_tmpl_id
        if template._sbk_has_packing():
            return template._sbk_pack(quantity)
        return unpacked(quantity, self.weight, self.volume)

    def _sbk_get_free_qty(self, warehouse, exclude_sale_order=None):
        """Quantity of each product free for new demand in ``warehouse``: ``{product: qty}``.

        Odoo's ``free_qty`` (on hand minus reserved). ``sbk_export_reservation`` overrides it to
        subtract what active export locks hold, except those of ``exclude_sale_order``, whose
        own locked stock is free for that order.
        """
        products = self.with_context(warehouse_id=warehouse.id)
        return {product: product.free_qty for product in products}

    def _sbk_get_tax_rates(self, on_date):
        """``(vat_rate, rebate_rate)`` of the product for an export on ``on_date``: its HS
        code's rates in force on that date, the product's own rebate rate where it overrides
        the code's. (The taxed export regime is the order line's: see ``sbk_taxed_export``.)"""
        self.ensure_one()
        hs_code = self.sbk_hs_code_id
        if not hs_code:
            return 0.0, self.sbk_rebate_rate
        vat_rate, rebate_rate = hs_code._sbk_get_rates(on_date)
        if float_compare(self.sbk_rebate_rate, hs_code.rebate_rate, precision_digits=2):
            rebate_rate = self.sbk_rebate_rate
        return vat_rate, min(rebate_rate, vat_rate)
