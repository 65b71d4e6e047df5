import io
from collections import defaultdict

import xlsxwriter

from odoo import api, fields, models
from odoo.addons.sbk_trade.tools.packing import pack
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools.allocation import AllocationError, allocate
from ..tools.trade_profit import (
    basis_totals,
    commission,
    incoterm_basis,
    margin,
    real_profit,
    rebate_exempt_credit_refund,
    rebate_exempt_refund,
)
from .account_move_line import NON_COST_DISPLAY_TYPES

# Costs and profit are for the trade managers and accounting; a salesperson sees the order
# and its revenue only.
COST_GROUPS = "sbk_trade.group_sbk_trade_manager,account.group_account_invoice"

# Changing any of these changes the order's figures (or its weight in a shared cost).
TRIGGER_FIELDS = {
    "order_line",
    "state",
    "incoterm",
    "currency_id",
    "pricelist_id",
    "date_order",
    "company_id",
    "partner_id",
    "sbk_trade_type",
    "sbk_agent_id",
    "sbk_commission_rate",
    "sbk_commission_fixed",
    "sbk_commission_base",
    "sbk_freight_estimate",
}

# sale.order field for the total of each dimension
DIMENSION_FIELDS = {
    "procurement": "sbk_cost_procurement",
    "domestic_freight": "sbk_cost_domestic_freight",
    "customs_fee": "sbk_cost_customs_fee",
    "ocean_freight": "sbk_cost_ocean_freight",
    "insurance": "sbk_cost_insurance",
    "commission": "sbk_cost_commission",
    "vat_borne": "sbk_vat_borne",
    "tax_rebate": "sbk_tax_rebate",
}


def _money(string, help_text=None):
    return fields.Monetary(
        string=string,
        currency_field="sbk_company_currency_id",
        readonly=True,
        copy=False,
        groups=COST_GROUPS,
        help=help_text,
    )


class SaleOrder(models.Model):
    _inherit = "sale.order"

    sbk_cost_ids = fields.One2many(
        "sbk.order.cost", "sale_order_id", string="Landed Costs", readonly=True, groups=COST_GROUPS
    )
    sbk_revenue = fields.Monetary(
        string="Revenue",
        currency_field="sbk_company_currency_id",
        readonly=True,
        copy=False,
        help="Untaxed amount in company currency: the invoiced part at the invoices' dates, the "
        "rest at the order date.",
    )
    sbk_cost_procurement = _money(
        "Procurement",
        "Purchases generated for the order (received quantity x price excluding VAT) and the "
        "stock valuation of the goods taken from stock.",
    )
    sbk_cost_domestic_freight = _money("Domestic Freight")
    sbk_cost_customs_fee = _money("Customs Fee")
    sbk_cost_ocean_freight = _money("Ocean Freight")
    sbk_cost_insurance = _money("Insurance")
    sbk_cost_commission = _money(
        "Commission", "The agent's commission, commission bills and bank charges on payment."
    )
    sbk_vat_borne = _money("VAT Borne", "Input VAT that the export rebate does not return.")
    sbk_tax_rebate = _money("Export Tax Rebate")
    sbk_apparent_profit = _money("Apparent Profit", "Revenue minus procurement.")
    sbk_real_profit = _money(
        "Real Profit",
        "Revenue - procurement - freight - customs - insurance - commission - VAT borne + "
        "rebate, from posted documents.",
    )
    sbk_real_margin = fields.Float(
        string="Real Margin (%)",
        digits=(16, 2),
        readonly=True,
        copy=False,
        groups=COST_GROUPS,
        aggregator="avg",
    )
    sbk_profit_fob = _money("Profit on FOB")
    sbk_profit_cif = _money("Profit on CIF")
    sbk_profit_landed = _money("Landed Profit")
    sbk_fob_revenue = _money("FOB Value")
    sbk_cif_revenue = _money("CIF Value")
    sbk_cif_ocean_freight = _money(
        "Ocean Freight (CIF basis)", "Posted ocean freight, or the estimate while none is posted."
    )
    sbk_cif_insurance = _money(
        "Insurance (CIF basis)", "Posted insurance, or the premium on the CIF value."
    )
    sbk_commission_fob = _money("Commission (FOB basis)")
    sbk_commission_cif = _money("Commission (CIF basis)")
    sbk_cost_warning = fields.Text(
        string="Cost Warnings", readonly=True, copy=False, groups=COST_GROUPS
    )
    sbk_cost_date = fields.Datetime(
        string="Costs Computed On", readonly=True, copy=False, groups=COST_GROUPS
    )

    def _read_group_select(self, aggregate_spec, query):
        # The margin of a group of orders is its profit over its revenue, not an average of
        # the orders' margins.
        if aggregate_spec in ("sbk_real_margin:avg", "sbk_real_margin:sum"):
            return SQL(
                "COALESCE(SUM(%s) / NULLIF(SUM(%s), 0), 0) * 100",
                self._field_to_sql(self._table, "sbk_real_profit", query),
                self._field_to_sql(self._table, "sbk_revenue", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    # -- triggers ----------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The lines created with the orders recompute nothing: the orders do, once.
        orders = super(SaleOrder, self.with_context(sbk_skip_cost_recompute=True)).create(vals_list)
        orders = orders.with_env(self.env)
        orders._sbk_recompute_costs()
        return orders

    def write(self, vals):
        if not TRIGGER_FIELDS.intersection(vals) or self.env.context.get("sbk_skip_cost_recompute"):
            return super().write(vals)
        result = super(SaleOrder, self.with_context(sbk_skip_cost_recompute=True)).write(vals)
        self._sbk_with_sharing_orders()._sbk_recompute_costs()
        return result

    def unlink(self):
        sharing = self._sbk_with_sharing_orders() - self
        result = super().unlink()
        sharing._sbk_recompute_costs()
        return result

    def action_sbk_recompute_costs(self):
        """Recompute the orders' landed costs and profit from their documents now."""
        self._sbk_check_cost_access()
        self._sbk_with_sharing_orders()._sbk_recompute_costs()
        return True

    def action_sbk_export_cost_sheets(self):
        """Download the cost sheets of these orders as one XLSX workbook."""
        self._sbk_check_cost_access()
        return {
            "type": "ir.actions.act_url",
            "url": f"/sbk_landed_cost/cost_sheets?ids={','.join(str(i) for i in self.ids)}",
            "target": "download",
        }

    def _sbk_check_cost_access(self):
        if not self.env.su and not any(
            self.env.user.has_group(group) for group in COST_GROUPS.split(",")
        ):
            raise AccessError(
                self.env._(
                    "Only trade managers and accounting can see an order's costs and profit."
                )
            )
        self.check_access("read")

    def _sbk_with_sharing_orders(self):
        """These orders and those sharing a posted cost with them: a change of one order's
        value or quantities changes how the shared costs split."""
        if not self:
            return self
        # Superuser: whoever changes an order may not read the bills that name it.
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                [
                    ("sbk_sale_order_ids", "in", self.ids),
                    ("parent_state", "=", "posted"),
                    ("sbk_cost_dimension", "!=", False),
                ],
                ["sbk_sale_order_ids"],
            )
        )
        return self | lines.sbk_sale_order_ids.with_env(self.env)

    # -- recompute ---------------------------------------------------------------------------

    def _sbk_recompute_costs(self):
        """Rebuild the cost lines and the figures of these orders from their documents.

        Called by the hooks on bills, deliveries, purchases and the orders themselves, only for
        the orders they affect. Works on the whole recordset: a constant number of queries for
        the batch, plus the batched inserts of the cost lines and updates of the orders.
        """
        if not self or self.env.context.get("sbk_skip_cost_recompute"):
            return
        # Superuser: the figures are recomputed on behalf of whoever posts a bill, validates a
        # delivery or edits an order, from documents that person may not read (valuation,
        # purchases, other orders sharing a bill). Nothing here comes from the caller.
        orders = self.sudo().exists()
        for company in orders.company_id:
            company_orders = orders.filtered(lambda o, c=company: o.company_id == c)
            company_orders.with_company(company)._sbk_recompute_company_costs()

    def _sbk_recompute_company_costs(self):
        company = self.env.company
        currency = company.currency_id
        revenue = self._sbk_get_revenue()
        warnings = defaultdict(list)
        cost_vals = []
        cost_vals += self._sbk_get_bill_costs(revenue, warnings)
        procurement = self._sbk_get_procurement_costs()
        cost_vals += procurement
        totals = defaultdict(lambda: defaultdict(float))
        for vals in cost_vals:
            totals[vals["sale_order_id"]][vals["dimension"]] += vals["amount"]
        figures = {}
        for order in self:
            order_totals = totals[order.id]
            figures[order.id] = order._sbk_basis_figures(revenue[order.id], order_totals)
            com_vals = order._sbk_prepare_commission_vals(revenue[order.id], figures[order.id])
            if com_vals:
                com_vals["amount"] = currency.round(com_vals["amount"])
                cost_vals.append(com_vals)
                order_totals["commission"] += com_vals["amount"]
        rebate_vals = self._sbk_get_rebate_costs(procurement, figures, warnings)
        for vals in rebate_vals:
            # Each line is rounded once; the order's totals are the sums of its lines.
            vals["amount"] = currency.round(vals["amount"])
            totals[vals["sale_order_id"]][vals["dimension"]] += vals["amount"]
        cost_vals += rebate_vals
        self._sbk_replace_cost_lines(cost_vals)
        now = fields.Datetime.now()
        for order in self:
            vals = order._sbk_prepare_figures_vals(
                revenue[order.id], totals[order.id], figures[order.id], currency
            )
            vals["sbk_cost_warning"] = "\n".join(warnings[order.id]) or False
            vals["sbk_cost_date"] = now
            order.write(vals)

    def _sbk_replace_cost_lines(self, cost_vals):
        """Bring the orders' cost lines to ``cost_vals``: lines of the same source, order,
        dimension and product are updated in place (unchanged ones are not written), the
        others created or removed."""
        costs = self.env["sbk.order.cost"]
        currency = self.env.company.currency_id
        cost_vals = [
            {key: value for key, value in vals.items() if key != "vat_rate"}
            for vals in cost_vals
            if not currency.is_zero(vals["amount"])
        ]
        # The source's name is kept on the line: trade managers read the cost sheet without
        # rights on bills, purchases or transfers.
        sources = defaultdict(set)
        for vals in cost_vals:
            if vals.get("source_ref"):
                model, record_id = vals["source_ref"].split(",")
                sources[model].add(int(record_id))
        names = {}
        for model, ids in sources.items():
            for record in self.env[model].browse(sorted(ids)):
                names[f"{model},{record.id}"] = record.display_name
        orders = {order.id: order for order in self}
        for vals in cost_vals:
            order = orders[vals["sale_order_id"]]
            vals["company_id"] = order.company_id.id
            vals["currency_id"] = currency.id
            vals["partner_id"] = order.partner_id.id
            source = vals.pop("source_ref", False)
            vals["source_name"] = names.get(source, False)
            vals["source_model"], vals["source_id"] = (
                (source.split(",")[0], int(source.split(",")[1])) if source else (False, 0)
            )
        existing = defaultdict(list)
        for cost in costs.search([("sale_order_id", "in", self.ids)]):
            existing[cost._sbk_key()].append(cost)
        to_create = []
        for vals in cost_vals:
            matches = existing.get(costs._sbk_key_of(vals))
            if not matches:
                to_create.append(vals)
                continue
            cost = matches.pop()
            changes = cost._sbk_changes(vals)
            if changes:
                cost.write(changes)
        stale = costs.browse([cost.id for group in existing.values() for cost in group])
        stale.unlink()
        costs.create(to_create)

    # -- revenue -----------------------------------------------------------------------------

    def _sbk_get_revenue(self):
        """{order id: revenue in company currency}: the posted invoices at their dates, the
        part not yet invoiced at the order date."""
        company_currency = self.env.company.currency_id
        invoiced = defaultdict(float)
        invoiced_in_order_currency = defaultdict(float)
        lines = self.env["account.move.line"].search_fetch(
            [
                ("sale_line_ids.order_id", "in", self.ids),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("display_type", "=", "product"),
            ],
            ["balance", "amount_currency", "currency_id", "sale_line_ids"],
        )
        for line in lines:
            order = line.sale_line_ids.order_id[:1]
            invoiced[order.id] -= line.balance
            if line.currency_id == order.currency_id:
                invoiced_in_order_currency[order.id] -= line.amount_currency
            else:
                invoiced_in_order_currency[order.id] -= company_currency._convert(
                    line.balance, order.currency_id, order.company_id, line.date
                )
        rates = {}
        result = {}
        for order in self:
            rest = 0.0
            if order.state != "cancel" and order.invoice_status != "invoiced":
                rest = max(order.amount_untaxed - invoiced_in_order_currency[order.id], 0.0)
            if rest and order.currency_id != company_currency:
                date = fields.Date.to_date(order.date_order) or fields.Date.context_today(self)
                key = (order.currency_id, date)
                if key not in rates:
                    rates[key] = self.env["res.currency"]._get_conversion_rate(
                        order.currency_id, company_currency, order.company_id, date
                    )
                rest *= rates[key]
            result[order.id] = company_currency.round(invoiced[order.id] + rest)
        return result

    # -- costs tagged on journal items ---------------------------------------------------------

    def _sbk_get_bill_costs(self, revenue, warnings):
        """Cost lines from the posted journal items tagged for these orders, shared costs split
        among their orders (largest remainder, exact to the cent)."""
        lines = self.env["account.move.line"].search_fetch(
            [
                ("sbk_sale_order_ids", "in", self.ids),
                ("parent_state", "=", "posted"),
                ("sbk_cost_dimension", "!=", False),
                ("display_type", "not in", NON_COST_DISPLAY_TYPES),
            ],
            [
                "balance",
                "sbk_cost_dimension",
                "sbk_allocation_basis",
                "sbk_sale_order_ids",
                "move_id",
                "name",
                "product_id",
                "date",
            ],
        )
        basis_labels = dict(
            self.env["sbk.order.cost"]._fields["allocation_basis"]._description_selection(self.env)
        )
        shared = lines.filtered(lambda line: len(line.sbk_sale_order_ids) > 1)
        weights = shared.sbk_sale_order_ids._sbk_get_allocation_weights(revenue)
        own_ids = set(self.ids)
        result = []
        for line in lines:
            orders = line.sbk_sale_order_ids
            basis = line.sbk_allocation_basis or "value"
            if len(orders) == 1:
                shares, basis = {orders.id: line.balance}, False
            else:
                try:
                    shares = orders._sbk_allocate(line.balance, basis, weights)
                except AllocationError:
                    message = self.env._(
                        "%(entry)s (%(line)s) is not allocated: none of its orders has any "
                        "weight on the basis %(basis)s.",
                        entry=line.move_id.name,
                        line=line.name or "",
                        basis=basis_labels.get(basis, basis),
                    )
                    for order_id in own_ids.intersection(orders.ids):
                        warnings[order_id].append(message)
                    continue
            for order_id, amount in shares.items():
                if order_id not in own_ids:
                    continue
                result.append(
                    {
                        "sale_order_id": order_id,
                        "dimension": line.sbk_cost_dimension,
                        "amount": amount,
                        "source_ref": f"account.move,{line.move_id.id}",
                        "move_line_id": line.id,
                        "allocation_basis": basis,
                        "product_id": line.product_id.id,
                        "description": line.name or line.move_id.name,
                        "source_amount": line.balance,
                        "date": line.date,
                    }
                )
        return result

    def _sbk_allocate(self, amount, basis, weights):
        """{order id: share} of ``amount`` among these orders by ``basis``; raises
        ``AllocationError`` when none has any weight on it."""
        decimals = self.env.company.currency_id.decimal_places
        basis_weights = weights[basis]
        return allocate(
            amount,
            {order.id: basis_weights.get(order.id, 0.0) for order in self},
            decimals=decimals,
            basis=basis,
        )

    def _sbk_get_allocation_weights(self, revenue=None):
        """{basis: {order id: weight}} for splitting a shared cost.

        ``value`` is the revenue; the physical bases come from the delivered quantities (the
        ordered ones before anything is delivered) and each product's packing spec, or its
        weight and volume when it has no carton spec.
        """
        revenue = dict(revenue or {})
        missing = self.filtered(lambda o: o.id not in revenue)
        if missing:
            revenue.update(missing._sbk_get_revenue())
        weights = {
            "value": {order.id: max(revenue[order.id], 0.0) for order in self},
            "gross_weight": defaultdict(float),
            "volume": defaultdict(float),
            "quantity": defaultdict(float),
            "cartons": defaultdict(float),
        }
        lines = self.env["sale.order.line"].search_fetch(
            [
                ("order_id", "in", self.ids),
                ("display_type", "=", False),
                ("product_id.type", "!=", "service"),
            ],
            ["order_id", "product_id", "product_uom", "product_uom_qty", "qty_delivered"],
        )
        delivered_orders = {line.order_id.id for line in lines if line.qty_delivered > 0}
        for line in lines:
            order_id = line.order_id.id
            qty = line.qty_delivered if order_id in delivered_orders else line.product_uom_qty
            product = line.product_id
            if line.product_uom != product.uom_id:
                qty = line.product_uom._compute_quantity(qty, product.uom_id, round=False)
            if qty <= 0:
                continue
            template = product.product_tmpl_id
            weights["quantity"][order_id] += qty
            if template.sbk_pcs_per_carton > 0:
                packing = pack(
                    qty,
                    template.sbk_pcs_per_carton,
                    template.sbk_carton_cbm,
                    template.sbk_carton_net_weight,
                    template.sbk_carton_gross_weight,
                )
                weights["cartons"][order_id] += packing.cartons
                weights["volume"][order_id] += packing.volume
                weights["gross_weight"][order_id] += packing.gross_weight
            else:
                weights["volume"][order_id] += qty * product.volume
                weights["gross_weight"][order_id] += qty * product.weight
        return weights

    # -- procurement -------------------------------------------------------------------------

    def _sbk_get_procurement_costs(self):
        """Procurement cost lines: the purchase lines generated for the orders (received
        quantity x price excluding VAT, at the purchase's date) and, for what the orders
        consumed beyond what was bought or made for them, its stock valuation.

        What an order consumes: its deliveries (less returns) and the components of its
        manufacturing orders; what its manufacturing orders produce is made from those
        components, so it counts through them and not again at its valuation. Each line carries
        ``vat_rate`` (the rate on the vendor's bill, the HS code's while none exists) for the
        rebate, removed before the lines are created.
        """
        company_currency = self.env.company.currency_id
        result = []
        covered = defaultdict(float)  # (order id, product id) -> quantity bought or made for it
        purchase_lines = self.env["purchase.order.line"].search_fetch(
            [
                ("order_id.sbk_sale_order_id", "in", self.ids),
                ("state", "in", ("purchase", "done")),
                ("display_type", "=", False),
            ],
            [
                "order_id",
                "product_id",
                "product_uom",
                "product_qty",
                "qty_received",
                "price_subtotal",
                "currency_id",
                "invoice_lines",
                "name",
            ],
        )
        for line in purchase_lines:
            purchase = line.order_id
            order_id = purchase.sbk_sale_order_id.id
            product = line.product_id
            if line.product_uom and line.product_uom != product.uom_id:
                received = line.product_uom._compute_quantity(
                    line.qty_received, product.uom_id, round=False
                )
            else:
                received = line.qty_received
            covered[order_id, product.id] += received
            if not line.product_qty or not line.qty_received:
                continue
            amount = line.price_subtotal * line.qty_received / line.product_qty
            date = fields.Date.to_date(purchase.date_approve or purchase.date_order)
            if line.currency_id != company_currency:
                amount = line.currency_id._convert(
                    amount, company_currency, purchase.company_id, date, round=False
                )
            result.append(
                {
                    "sale_order_id": order_id,
                    "dimension": "procurement",
                    "amount": amount,
                    "source_ref": f"purchase.order,{purchase.id}",
                    "product_id": product.id,
                    "description": f"{purchase.name}: {product.display_name}",
                    "date": date,
                    "vat_rate": self._sbk_get_bill_vat_rate(line.invoice_lines, product),
                }
            )
        result += self._sbk_get_stock_consumption_costs(covered)
        for vals in result:
            vals["amount"] = company_currency.round(vals["amount"])
        return result

    def _sbk_get_bill_vat_rate(self, bill_lines, product):
        """The VAT rate on the vendor's posted bill; the HS code's rate while none exists."""
        for bill_line in bill_lines:
            if bill_line.parent_state == "posted":
                return sum(tax.amount for tax in bill_line.tax_ids if tax.amount_type == "percent")
        return product.sbk_hs_code_id.vat_rate

    def _sbk_get_stock_consumption_costs(self, covered):
        moves = self.env["stock.move"]
        productions = self.mrp_production_ids | self.sbk_production_ids
        productions = productions.filtered(lambda p: p.state != "cancel")
        production_order = {}
        for order in self:
            for production in order.mrp_production_ids | order.sbk_production_ids:
                production_order.setdefault(production.id, order.id)
        delivery_moves = moves.search_fetch(
            [("sale_line_id.order_id", "in", self.ids), ("state", "=", "done")],
            ["sale_line_id", "picking_id", "product_id"],
        )
        production_moves = moves.search_fetch(
            [
                "|",
                ("raw_material_production_id", "in", productions.ids),
                ("production_id", "in", productions.ids),
                ("state", "=", "done"),
            ],
            ["raw_material_production_id", "production_id", "product_id"],
        )
        layers = self.env["stock.valuation.layer"]._read_group(
            [("stock_move_id", "in", (delivery_moves | production_moves).ids)],
            ["stock_move_id"],
            ["value:sum", "quantity:sum"],
        )
        valued = {move.id: (value, quantity) for move, value, quantity in layers}
        consumed = defaultdict(list)  # (order id, product id) -> [(source ref, value, quantity)]
        for move in delivery_moves:
            value, quantity = valued.get(move.id, (0.0, 0.0))
            key = (move.sale_line_id.order_id.id, move.product_id.id)
            source = f"stock.picking,{move.picking_id.id}" if move.picking_id else False
            consumed[key].append((source, -value, -quantity))
        for move in production_moves:
            value, quantity = valued.get(move.id, (0.0, 0.0))
            if move.production_id:
                order_id = production_order.get(move.production_id.id)
                covered[order_id, move.product_id.id] += quantity
                continue
            production = move.raw_material_production_id
            order_id = production_order.get(production.id)
            consumed[order_id, move.product_id.id].append(
                (f"mrp.production,{production.id}", -value, -quantity)
            )
        result = []
        for (order_id, product_id), entries in consumed.items():
            quantity = sum(entry[2] for entry in entries)
            if quantity <= 0:
                continue
            from_stock = max(quantity - covered[order_id, product_id], 0.0) / quantity
            if not from_stock:
                continue
            product = self.env["product.product"].browse(product_id)
            by_source = defaultdict(float)
            for source, value, _quantity in entries:
                by_source[source] += value * from_stock
            for source, amount in by_source.items():
                result.append(
                    {
                        "sale_order_id": order_id,
                        "dimension": "procurement",
                        "amount": amount,
                        "source_ref": source,
                        "product_id": product_id,
                        "description": self.env._(
                            "%(product)s from stock (valuation)", product=product.display_name
                        ),
                        "vat_rate": product.sbk_hs_code_id.vat_rate,
                    }
                )
        return result

    # -- commission, bases, rebate --------------------------------------------------------

    def _sbk_basis_figures(self, revenue, totals):
        """The order's value on the FOB and CIF bases (company currency) with the ocean freight
        and insurance the CIF basis carries."""
        self.ensure_one()
        company = self.company_id
        ocean_freight = totals.get("ocean_freight", 0.0)
        if not ocean_freight:
            ocean_freight = self.sbk_freight_estimate
        insurance = totals.get("insurance") or None
        return basis_totals(
            incoterm_basis(self.incoterm.code),
            revenue,
            totals.get("domestic_freight", 0.0) + totals.get("customs_fee", 0.0),
            ocean_freight,
            insurance,
            company.sbk_insurance_rate,
            company.sbk_insurance_markup,
            company.currency_id.decimal_places,
        )

    def _sbk_commission_base(self, revenue, figures, basis="landed"):
        self.ensure_one()
        if self.sbk_commission_base == "fob" or basis == "fob":
            return figures["fob"]
        return figures["cif"] if basis == "cif" else revenue

    def _sbk_prepare_commission_vals(self, revenue, figures):
        """The agent's commission on the order itself: rate x base + fixed amount."""
        self.ensure_one()
        if not self.sbk_commission_rate and not self.sbk_commission_fixed:
            return None
        base = self._sbk_commission_base(revenue, figures)
        amount = commission(self.sbk_commission_rate, base, self.sbk_commission_fixed)
        return {
            "sale_order_id": self.id,
            "dimension": "commission",
            "amount": amount,
            "source_ref": f"sale.order,{self.id}",
            "description": self.env._(
                "%(agent)s: %(rate)s %% of %(base)s + %(fixed)s",
                agent=self.sbk_agent_id.display_name or self.env._("Agent"),
                rate=self.sbk_commission_rate,
                base=self.env.company.currency_id.round(base),
                fixed=self.sbk_commission_fixed,
            ),
            "date": fields.Date.to_date(self.date_order),
        }

    def _sbk_get_rebate_costs(self, procurement, figures, warnings):
        """VAT borne and export tax rebate of the export orders, by the company's method."""
        result = []
        exports = self.filtered(lambda o: o.sbk_trade_type == "export")
        if not exports:
            return result
        export_ids = set(exports.ids)
        by_order = defaultdict(list)
        for vals in procurement:
            if vals["sale_order_id"] in export_ids:
                by_order[vals["sale_order_id"]].append(vals)
        lines = self.env["sale.order.line"].search_fetch(
            [
                ("order_id", "in", exports.ids),
                ("display_type", "=", False),
                ("product_id.type", "!=", "service"),
            ],
            ["order_id", "product_id", "price_subtotal"],
        )
        lines_by_order = defaultdict(list)
        for line in lines:
            lines_by_order[line.order_id.id].append(line)
            if not line.product_id.sbk_hs_code_id:
                warnings[line.order_id.id].append(
                    self.env._(
                        "%(product)s has no HS code: its export rebate is unknown.",
                        product=line.product_id.display_name,
                    )
                )
        credit_refund = self.env.company.sbk_rebate_method == "exempt_credit_refund"
        for order in exports:
            order_lines = lines_by_order[order.id]
            if credit_refund:
                result += order._sbk_rebate_credit_refund(
                    order_lines, by_order[order.id], figures[order.id]["fob"]
                )
            else:
                result += order._sbk_rebate_exempt_refund(by_order[order.id])
        return result

    def _sbk_rebate_vals(self, vals, vat_borne, rebate):
        result = []
        for dimension, amount in (("vat_borne", vat_borne), ("tax_rebate", rebate)):
            if amount:
                result.append(
                    {
                        "sale_order_id": self.id,
                        "dimension": dimension,
                        "amount": amount,
                        "source_ref": vals.get("source_ref"),
                        "product_id": vals.get("product_id"),
                        "description": vals.get("description"),
                        "date": vals.get("date"),
                    }
                )
        return result

    def _sbk_rebate_exempt_refund(self, procurement):
        """Exempt-refund: on each purchase, VAT borne P x v_inv and rebate P x min(r, v_inv)."""
        self.ensure_one()
        result = []
        products = self.env["product.product"]
        for vals in procurement:
            product = products.browse(vals["product_id"])
            vat_borne, rebate = rebate_exempt_refund(
                [(vals["amount"], vals.get("vat_rate") or 0.0, product.sbk_rebate_rate)]
            )
            result += self._sbk_rebate_vals(vals, vat_borne, rebate)
        return result

    def _sbk_rebate_credit_refund(self, order_lines, procurement, fob_total):
        """Exempt-credit-refund: on each line's share of the FOB value, rebate FOB x r and the
        notional VAT FOB x v; a product without rebate (r = 0) bears its input VAT as under
        exempt-refund."""
        self.ensure_one()
        result = []
        subtotal = sum(line.price_subtotal for line in order_lines)
        no_rebate = set()
        for line in order_lines:
            product = line.product_id
            if not product.sbk_rebate_rate:
                no_rebate.add(product.id)
                continue
            fob = fob_total * line.price_subtotal / subtotal if subtotal else 0.0
            vat_borne, rebate = rebate_exempt_credit_refund(
                fob, product.sbk_hs_code_id.vat_rate, product.sbk_rebate_rate
            )
            vals = {
                "source_ref": f"sale.order,{self.id}",
                "product_id": product.id,
                "description": self.env._(
                    "%(product)s: FOB %(fob)s", product=product.display_name, fob=round(fob, 2)
                ),
                "date": fields.Date.to_date(self.date_order),
            }
            result += self._sbk_rebate_vals(vals, vat_borne, rebate)
        for vals in procurement:
            if vals["product_id"] in no_rebate:
                vat_borne, _rebate = rebate_exempt_refund(
                    [(vals["amount"], vals.get("vat_rate") or 0.0, 0.0)]
                )
                result += self._sbk_rebate_vals(vals, vat_borne, 0.0)
        return result

    def _sbk_prepare_figures_vals(self, revenue, totals, figures, currency):
        """The stored figures of the order from its revenue and cost totals."""
        self.ensure_one()
        vals = {"sbk_revenue": revenue}
        for dimension, field_name in DIMENSION_FIELDS.items():
            vals[field_name] = currency.round(totals.get(dimension, 0.0))
        procurement = vals["sbk_cost_procurement"]
        local = vals["sbk_cost_domestic_freight"] + vals["sbk_cost_customs_fee"]
        vat_net = vals["sbk_vat_borne"] - vals["sbk_tax_rebate"]
        profit = real_profit(
            revenue,
            procurement,
            vals["sbk_cost_domestic_freight"],
            vals["sbk_cost_customs_fee"],
            vals["sbk_cost_ocean_freight"],
            vals["sbk_cost_insurance"],
            vals["sbk_cost_commission"],
            vals["sbk_vat_borne"],
            vals["sbk_tax_rebate"],
        )
        # Commission other than the order's own rate (fixed amounts, bills, bank charges) is
        # the same on every basis; the rate applies to each basis's own value.
        rate_part = currency.round(
            self.sbk_commission_rate / 100.0 * self._sbk_commission_base(revenue, figures)
        )
        other_commission = vals["sbk_cost_commission"] - rate_part
        commission_fob = currency.round(
            self.sbk_commission_rate / 100.0 * figures["fob"] + other_commission
        )
        commission_cif = currency.round(
            self.sbk_commission_rate
            / 100.0
            * self._sbk_commission_base(revenue, figures, basis="cif")
            + other_commission
        )
        vals.update(
            {
                "sbk_apparent_profit": currency.round(revenue - procurement),
                "sbk_real_profit": currency.round(profit),
                "sbk_real_margin": round(margin(profit, revenue), 2),
                "sbk_profit_landed": currency.round(profit),
                "sbk_fob_revenue": currency.round(figures["fob"]),
                "sbk_cif_revenue": currency.round(figures["cif"]),
                "sbk_cif_ocean_freight": currency.round(figures["ocean_freight"]),
                "sbk_cif_insurance": currency.round(figures["insurance"]),
                "sbk_commission_fob": commission_fob,
                "sbk_commission_cif": commission_cif,
                "sbk_profit_fob": currency.round(
                    figures["fob"] - procurement - local - commission_fob - vat_net
                ),
                "sbk_profit_cif": currency.round(
                    figures["cif"]
                    - procurement
                    - local
                    - figures["ocean_freight"]
                    - figures["insurance"]
                    - commission_cif
                    - vat_net
                ),
            }
        )
        return vals

    # -- XLSX export -------------------------------------------------------------------------

    def _sbk_cost_sheets_xlsx(self):
        """The cost sheets of these orders as XLSX bytes: a summary sheet with one row per order,
        then one sheet per order with its cost lines by dimension and their sources."""
        self._sbk_check_cost_access()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        bold_money = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        percent = workbook.add_format({"num_format": "0.00"})
        columns = [
            (self.env._("Order"), "name"),
            (self.env._("Customer"), "partner_id"),
            (self.env._("Salesperson"), "user_id"),
            (self.env._("Incoterm"), "incoterm"),
            (self.env._("Order Date"), "date_order"),
            *(
                (self._fields[name]._description_string(self.env), name)
                for name in (
                    "sbk_revenue",
                    *DIMENSION_FIELDS.values(),
                    "sbk_apparent_profit",
                    "sbk_real_profit",
                    "sbk_real_margin",
                    "sbk_fob_revenue",
                    "sbk_profit_fob",
                    "sbk_cif_revenue",
                    "sbk_profit_cif",
                    "sbk_profit_landed",
                )
            ),
        ]
        summary = workbook.add_worksheet(self.env._("Summary")[:31])
        for col, (label, _name) in enumerate(columns):
            summary.write(0, col, label, bold)
        for row, order in enumerate(self, start=1):
            for col, (_label, name) in enumerate(columns):
                value = order[name]
                if name == "sbk_real_margin":
                    summary.write_number(row, col, value, percent)
                elif isinstance(value, float):
                    summary.write_number(row, col, value, money)
                elif isinstance(value, models.BaseModel):
                    summary.write(row, col, value.display_name or "")
                else:
                    summary.write(row, col, str(value or ""))
        summary.set_column(0, len(columns), 14)
        dimensions = (
            self.env["sbk.order.cost"]._fields["dimension"]._description_selection(self.env)
        )
        bases = dict(
            self.env["sbk.order.cost"]._fields["allocation_basis"]._description_selection(self.env)
        )
        used = set()
        for order in self:
            title = "".join(c for c in order.name if c not in "[]:*?/\\")[:28] or str(order.id)
            while title in used:
                title = f"{title[:26]}_{len(used)}"
            used.add(title)
            sheet = workbook.add_worksheet(title)
            sheet.write(0, 0, self.env._("Cost Sheet"), bold)
            sheet.write(0, 1, order.name, bold)
            sheet.write(1, 0, self.env._("Customer"))
            sheet.write(1, 1, order.partner_id.display_name or "")
            sheet.write(2, 0, self.env._("Incoterm"))
            sheet.write(2, 1, order.incoterm.code or "")
            rows = [
                (self.env._("Revenue"), order.sbk_revenue),
                (self.env._("Apparent Profit"), order.sbk_apparent_profit),
                (self.env._("Real Profit"), order.sbk_real_profit),
                (self.env._("Profit on FOB"), order.sbk_profit_fob),
                (self.env._("Profit on CIF"), order.sbk_profit_cif),
                (self.env._("Landed Profit"), order.sbk_profit_landed),
            ]
            row = 4
            for label, value in rows:
                sheet.write(row, 0, label)
                sheet.write_number(row, 1, value, money)
                row += 1
            sheet.write(row, 0, self.env._("Real Margin (%)"))
            sheet.write_number(row, 1, order.sbk_real_margin, percent)
            row += 2
            for col, label in enumerate(
                (
                    self.env._("Dimension"),
                    self.env._("Source"),
                    self.env._("Description"),
                    self.env._("Basis"),
                    self.env._("Amount"),
                )
            ):
                sheet.write(row, col, label, bold)
            row += 1
            for key, label in dimensions:
                lines = order.sbk_cost_ids.filtered(lambda c, k=key: c.dimension == k)
                if not lines:
                    continue
                sheet.write(row, 0, label, bold)
                sheet.write_number(row, 4, sum(lines.mapped("amount")), bold_money)
                row += 1
                for line in lines:
                    sheet.write(row, 1, line.source_name or "")
                    sheet.write(row, 2, line.description or "")
                    sheet.write(row, 3, bases.get(line.allocation_basis, ""))
                    sheet.write_number(row, 4, line.amount, money)
                    row += 1
            sheet.set_column(0, 0, 22)
            sheet.set_column(1, 2, 36)
            sheet.set_column(3, 4, 14)
        workbook.close()
        return output.getvalue()
