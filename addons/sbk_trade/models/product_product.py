from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import float_compare, float_is_zero

from ..tools.packing import unpacked
from .product_template import sbk_name_domain

# Who may change a product's cost although the trade groups grant them write access on
# products: the cost groups (trade managers, accounting) and Odoo's own groups that write
# products (and so their cost) without our addons.
COST_EDITOR_GROUPS = (
    "sbk_trade.group_sbk_trade_manager",
    "account.group_account_invoice",
    "account.group_account_manager",
    "product.group_product_manager",
    "sales_team.group_sale_manager",
    "purchase.group_purchase_manager",
    "stock.group_stock_manager",
    "mrp.group_mrp_manager",
)


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        digits = self.env["decimal.precision"].precision_get("Product Price")
        new = [
            vals.get("name") or self.env._("a new product")
            for vals in vals_list
            if not float_is_zero(vals.get("standard_price") or 0.0, precision_digits=digits)
        ]
        if new:
            self._sbk_check_cost_editor(new)
        return super().create(vals_list)

    def write(self, vals):
        if "standard_price" in vals:
            self._sbk_check_cost_change(vals["standard_price"])
        return super().write(vals)

    def _sbk_check_cost_change(self, new_cost):
        """A trade user edits products (names, HS code, packing) but not their cost: changing
        it revalues the stock. The template's cost is written through its variants (also when
        a template is created with a cost), so this guards both."""
        if self.env.su:
            return
        digits = self.env["decimal.precision"].precision_get("Product Price")
        changed = self.filtered(
            lambda p: float_compare(p.standard_price, new_cost or 0.0, precision_digits=digits)
        )
        if changed:
            self._sbk_check_cost_editor(changed.mapped("display_name"))

    @api.model
    def _sbk_check_cost_editor(self, product_names):
        """Refuse a cost set on ``product_names`` by a trade user outside ``COST_EDITOR_GROUPS``.

        Only the trade groups are refused: what Odoo's own groups may do on products stays as
        Odoo has it."""
        user = self.env.user
        if self.env.su or not user.has_group("sbk_trade.group_sbk_trade_user"):
            return
        if any(user.has_group(group) for group in COST_EDITOR_GROUPS):
            return
        raise AccessError(
            self.env._(
                "Trade users cannot change a product's cost: it revalues the stock. Ask a "
                "trade manager or accounting to change the cost of %(products)s.",
                products=", ".join(product_names),
            )
        )

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
