from odoo import api, fields, models

from ..tools.trade_profit import basis_unit_prices, incoterm_basis

LINE_TRIGGER_FIELDS = {
    "product_id",
    "product_uom",
    "product_uom_qty",
    "price_unit",
    "discount",
    "sbk_quoted_price_fob",
    "sbk_quoted_price_cif",
    "sbk_taxed_export",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    sbk_quoted_price_fob = fields.Float(
        string="Quoted FOB Unit Price",
        compute="_compute_sbk_quoted_price_fob",
        store=True,
        readonly=False,
        precompute=True,
        digits="Product Price",
        copy=True,
        help="The FOB unit price quoted to the buyer, in the order's currency (0: none).",
    )
    sbk_quoted_price_cif = fields.Float(
        string="Quoted CIF Unit Price",
        compute="_compute_sbk_quoted_price_cif",
        store=True,
        readonly=False,
        precompute=True,
        digits="Product Price",
        copy=True,
        help="The CIF unit price quoted to the buyer, in the order's currency (0: none).",
    )
    sbk_price_fob = fields.Float(
        string="FOB Unit Price",
        compute="_compute_sbk_basis_prices",
        inverse="_inverse_sbk_price_fob",
        digits="Product Price",
        help="Unit price quoted on the FOB basis, in the order's currency: the unit price on a "
        "FOB order; else the price quoted to the buyer, or, left at 0, derived from the order's "
        "costs (domestic freight and customs fee added for EXW, ocean freight and insurance "
        "taken off for C-terms).",
    )
    sbk_price_cif = fields.Float(
        string="CIF Unit Price",
        compute="_compute_sbk_basis_prices",
        inverse="_inverse_sbk_price_cif",
        digits="Product Price",
        help="Unit price quoted on the CIF basis, in the order's currency: the unit price on a "
        "CIF order; else the price quoted to the buyer, or, left at 0, derived from the order's "
        "costs (ocean freight, posted or estimated, and insurance added to the FOB price).",
    )
    sbk_price_derived = fields.Boolean(
        string="Price Derived",
        compute="_compute_sbk_basis_prices",
        help="A basis price of the line is not quoted but derived from the order's costs.",
    )

    @api.depends(
        "product_id",
        "product_uom",
        "product_uom_qty",
        "order_id.incoterm",
        "order_id.sbk_pricelist_fob_id",
    )
    def _compute_sbk_quoted_price_fob(self):
        self._sbk_compute_quoted_price("fob")

    @api.depends(
        "product_id",
        "product_uom",
        "product_uom_qty",
        "order_id.incoterm",
        "order_id.sbk_pricelist_cif_id",
    )
    def _compute_sbk_quoted_price_cif(self):
        self._sbk_compute_quoted_price("cif")

    def _sbk_compute_quoted_price(self, term):
        """The other term's quote from the order's pricelist for that term, as the unit price
        comes from the order's pricelist; without one the quote is kept (entered by the user, or
        0 to derive it)."""
        field_name = f"sbk_quoted_price_{term}"
        for line in self:
            order = line.order_id
            pricelist = order[f"sbk_pricelist_{term}_id"]
            other_term = incoterm_basis(order.incoterm.code) != term
            if other_term and pricelist and line.product_id and not line.display_type:
                line[field_name] = pricelist._get_product_price(
                    line.product_id,
                    line.product_uom_qty or 1.0,
                    currency=order.currency_id,
                    uom=line.product_uom,
                    date=order.date_order,
                )
            else:
                line[field_name] = line[field_name] or 0.0

    @api.depends(
        "price_unit",
        "sbk_quoted_price_fob",
        "sbk_quoted_price_cif",
        "order_id.incoterm",
        "order_id.sbk_revenue",
        "order_id.sbk_fob_declared",
        "order_id.sbk_cif_derived",
    )
    def _compute_sbk_basis_prices(self):
        for line in self:
            order = line.order_id
            basis = incoterm_basis(order.incoterm.code)
            # Read the order's basis totals as superuser: a salesperson quotes with these
            # prices without seeing the costs behind them.
            totals = order.sudo()
            fob, cif = basis_unit_prices(
                basis,
                line.price_unit,
                totals.sbk_revenue,
                totals.sbk_fob_declared,
                totals.sbk_cif_derived,
            )
            derived = False
            if basis != "fob":
                derived = derived or not line.sbk_quoted_price_fob
                fob = line.sbk_quoted_price_fob or fob
            if basis != "cif":
                derived = derived or not line.sbk_quoted_price_cif
                cif = line.sbk_quoted_price_cif or cif
            line.sbk_price_fob, line.sbk_price_cif = fob, cif
            line.sbk_price_derived = derived

    def _inverse_sbk_price_fob(self):
        self._sbk_set_quoted_price("fob")

    def _inverse_sbk_price_cif(self):
        self._sbk_set_quoted_price("cif")

    def _sbk_set_quoted_price(self, term):
        """Writing a basis price: on the order's own term it is the unit price; on the other,
        the quote (0 to derive it again)."""
        for line in self:
            price = line[f"sbk_price_{term}"]
            if incoterm_basis(line.order_id.incoterm.code) == term:
                if line.price_unit != price:
                    line.price_unit = price
            elif line[f"sbk_quoted_price_{term}"] != price:
                line[f"sbk_quoted_price_{term}"] = price

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
            order.sbk_fob_declared,
            order.sbk_cif_derived,
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
