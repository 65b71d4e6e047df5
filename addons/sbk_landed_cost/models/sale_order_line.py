from odoo import api, fields, models

from ..tools.trade_profit import basis_unit_prices, incoterm_basis

LINE_TRIGGER_FIELDS = {"product_id", "product_uom", "product_uom_qty", "price_unit", "discount"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    sbk_price_fob = fields.Float(
        string="FOB Unit Price",
        compute="_compute_sbk_basis_prices",
        digits="Product Price",
        help="Unit price on the FOB basis, in the order's currency: the order's domestic freight "
        "and customs fee added for EXW, its ocean freight and insurance taken off for C-terms, "
        "shared among the lines by value.",
    )
    sbk_price_cif = fields.Float(
        string="CIF Unit Price",
        compute="_compute_sbk_basis_prices",
        digits="Product Price",
        help="Unit price on the CIF basis, in the order's currency: ocean freight (posted or "
        "estimated) and insurance added to the FOB price.",
    )

    @api.depends(
        "price_unit",
        "order_id.incoterm",
        "order_id.sbk_revenue",
        "order_id.sbk_fob_revenue",
        "order_id.sbk_cif_revenue",
    )
    def _compute_sbk_basis_prices(self):
        for line in self:
            order = line.order_id
            # Read the order's basis totals as superuser: a salesperson quotes with these
            # prices without seeing the costs behind them.
            totals = order.sudo()
            line.sbk_price_fob, line.sbk_price_cif = basis_unit_prices(
                incoterm_basis(order.incoterm.code),
                line.price_unit,
                totals.sbk_revenue,
                totals.sbk_fob_revenue,
                totals.sbk_cif_revenue,
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._sbk_with_sharing_orders()._sbk_recompute_costs()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if LINE_TRIGGER_FIELDS.intersection(vals):
            self.order_id._sbk_with_sharing_orders()._sbk_recompute_costs()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders.exists()._sbk_with_sharing_orders()._sbk_recompute_costs()
        return result
