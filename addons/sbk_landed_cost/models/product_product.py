from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import float_compare

from .sale_order import COST_GROUPS

# Odoo's own groups that manage products (and so their cost) in the flows we extend.
PRODUCT_MANAGER_GROUPS = (
    "sales_team.group_sale_manager",
    "purchase.group_purchase_manager",
    "stock.group_stock_manager",
    "mrp.group_mrp_manager",
)


class ProductProduct(models.Model):
    _inherit = "product.product"

    def write(self, vals):
        if "standard_price" in vals:
            self._sbk_check_cost_change(vals["standard_price"])
        return super().write(vals)

    def _sbk_check_cost_change(self, new_cost):
        """A trade user edits products (names, HS code, packing) but not their cost: changing
        it revalues the stock. The cost groups and Odoo's product managers may.

        The template's cost is written through its variants, so this guards both.
        """
        user = self.env.user
        if self.env.su or not user.has_group("sbk_trade.group_sbk_trade_user"):
            return
        digits = self.env["decimal.precision"].precision_get("Product Price")
        changed = self.filtered(
            lambda p: float_compare(p.standard_price, new_cost or 0.0, precision_digits=digits)
        )
        if not changed:
            return
        allowed = (*COST_GROUPS.split(","), *PRODUCT_MANAGER_GROUPS)
        if not any(user.has_group(group) for group in allowed):
            raise AccessError(
                self.env._(
                    "Trade users cannot change a product's cost: it revalues the stock. Ask a "
                    "trade manager or accounting to change the cost of %(products)s.",
                    products=", ".join(changed.mapped("display_name")),
                )
            )
