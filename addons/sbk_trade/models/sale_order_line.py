from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    sbk_taxed_export = fields.Boolean(
        string="Taxed Export",
        compute="_compute_sbk_taxed_export",
        store=True,
        readonly=False,
        help="The goods of this line are exported under the taxed regime: no export rebate "
        "(defaults from the product).",
    )

    @api.depends("product_id")
    def _compute_sbk_taxed_export(self):
        for line in self:
            line.sbk_taxed_export = line.product_id.sbk_taxed_export

    def _action_launch_stock_rule(self, previous_product_uom_qty=False):
        """Export orders: after Odoo's own procurement (the delivery), plan production and
        purchasing for what free stock does not cover (first confirmation or a larger
        quantity on a confirmed order), and take back from the documents not yet started
        what a lowered quantity no longer needs."""
        orders = self.order_id.filtered(
            lambda o: o.state == "sale" and not o.locked and o._sbk_is_export()
        )
        if self.env.context.get("skip_procurement") or not orders:
            return super()._action_launch_stock_rule(previous_product_uom_qty)
        planners = orders._sbk_prepare_supply_snapshot()
        result = super()._action_launch_stock_rule(previous_product_uom_qty)
        for planner in planners.values():
            planner.run()
        return result

    def _sbk_get_fob_unit_price_per_product_uom(self):
        """FOB unit price of the line per unit of the product's UoM, in the order's currency.

        The customs value rests on FOB (invoice less international freight and insurance): here
        the line's net unit price. A hook: an addon that knows the order's freight and insurance
        (sbk_landed_cost) overrides it.
        """
        if not self:
            return 0.0
        self.ensure_one()
        return self.product_uom._compute_price(self.price_reduce_taxexcl, self.product_id.uom_id)
