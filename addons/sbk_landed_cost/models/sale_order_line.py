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

    def _sbk_get_fob_unit_price_per_product_uom(self):
        """The declared FOB unit price: the line's net price on the FOB basis (C-terms less the
        order's ocean freight and insurance, EXW plus its domestic costs), shared by value as
        for ``sbk_price_fob``."""
        if not self:
            return super()._sbk_get_fob_unit_price_per_product_uom()
        self.ensure_one()
        # Superuser: the basis totals rest on costs the trade user declaring may not read.
        order = self.order_id.sudo()
        if not order.sbk_revenue:
            return super()._sbk_get_fob_unit_price_per_product_uom()
        price, _cif = basis_unit_prices(
            incoterm_basis(order.incoterm.code),
            self.price_reduce_taxexcl,
            order.sbk_revenue,
            order.sbk_fob_revenue,
            order.sbk_cif_revenue,
        )
        return self.product_uom._compute_price(price, self.product_id.uom_id)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._sbk_update_costs()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if LINE_TRIGGER_FIELDS.intersection(vals):
            self.order_id._sbk_update_costs()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders.exists()._sbk_update_costs()
        return result
