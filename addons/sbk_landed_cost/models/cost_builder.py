"""The landed cost of a batch of orders of one company, built from their documents.

Not a model: a short-lived helper ``sale.order._sbk_recompute_costs()`` creates per company.
It reads the orders' documents in a constant number of queries for the batch (revenue from
the customer invoices, tagged journal items, generated purchases, deliveries, manufacturing
orders and their valuation), and returns the cost lines to store and the figures to write on
each order. The arithmetic is in ``tools/`` (pure functions); this class only gathers.

Two views of each order: what is **posted** (the cost lines and the real profit) and what is
**expected** from what is committed (generated purchases at their ordered quantity, goods still
to take from stock at their standard cost, the freight estimate, insurance by the formula), with
each dimension's status: ``actual``, ``partial`` or ``expected``.
"""

from collections import defaultdict

from odoo import fields
from odoo.tools import float_is_zero

from ..tools.allocation import AllocationError, allocate
from ..tools.trade_profit import (
    COST_DIMENSIONS,
    DIMENSIONS,
    SELLER_BEARS,
    basis_totals,
    commission,
    commission_base,
    cost_status,
    expected_figures,
    incoterm_basis,
    order_figures,
    quoted_bases,
    rebate_exempt_credit_refund,
    rebate_exempt_refund,
    rebate_with_claims,
    stock_to_come,
)
from .account_move_line import NON_COST_DISPLAY_TYPES

# sale.order fields of each dimension: (posted total, expected total, status)
DIMENSION_FIELDS = {
    "procurement": (
        "sbk_cost_procurement",
        "sbk_expected_procurement",
        "sbk_procurement_status",
    ),
    "domestic_freight": (
        "sbk_cost_domestic_freight",
        "sbk_expected_domestic_freight",
        "sbk_domestic_freight_status",
    ),
    "customs_fee": (
        "sbk_cost_customs_fee",
        "sbk_expected_customs_fee",
        "sbk_customs_fee_status",
    ),
    "ocean_freight": (
        "sbk_cost_ocean_freight",
        "sbk_expected_ocean_freight",
        "sbk_ocean_freight_status",
    ),
    "insurance": ("sbk_cost_insurance", "sbk_expected_insurance", "sbk_insurance_status"),
    "commission": ("sbk_cost_commission", "sbk_expected_commission", "sbk_commission_status"),
    "vat_borne": ("sbk_vat_borne", "sbk_expected_vat_borne", "sbk_vat_borne_status"),
    "tax_rebate": ("sbk_tax_rebate", "sbk_expected_tax_rebate", "sbk_tax_rebate_status"),
}
# Posted and expected costs (the rebate is no cost): the completeness of a group of orders.
COST_FIELDS = [DIMENSION_FIELDS[d][0] for d in COST_DIMENSIONS]
EXPECTED_COST_FIELDS = [DIMENSION_FIELDS[d][1] for d in COST_DIMENSIONS]
# sale.order field of each figure of ``order_figures`` / ``expected_figures``
FIGURE_FIELDS = {
    "apparent_profit": "sbk_apparent_profit",
    "real_profit": "sbk_real_profit",
    "real_margin": "sbk_real_margin",
    "profit_landed": "sbk_profit_landed",
    "fob_revenue": "sbk_fob_revenue",
    "cif_revenue": "sbk_cif_revenue",
    "cif_ocean_freight": "sbk_cif_ocean_freight",
    "cif_insurance": "sbk_cif_insurance",
    "commission_fob": "sbk_commission_fob",
    "commission_cif": "sbk_commission_cif",
    "profit_fob": "sbk_profit_fob",
    "profit_cif": "sbk_profit_cif",
    "fob_declared": "sbk_fob_declared",
    "cif_derived": "sbk_cif_derived",
    "better_term": "sbk_better_term",
    "term_advantage": "sbk_term_advantage",
    "expected_profit": "sbk_expected_profit",
    "expected_margin": "sbk_expected_margin",
    "completeness": "sbk_cost_completeness",
}
OPEN = ("done", "cancel")


class OrderCostBuilder:
    """Cost lines and figures of ``orders`` (one company, in its environment, as superuser)."""

    def __init__(self, orders):
        self.orders = orders
        self.env = orders.env
        self.company = self.env.company
        self.currency = self.company.currency_id
        self.decimals = self.currency.decimal_places
        self.qty_digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        self.warnings = defaultdict(list)
        self._sale_lines = None
        self._lines_by_order = None
        self._export_dates = None
        self._tax_rates = {}

    # -- the whole build ----------------------------------------------------------------------

    def build(self):
        """``(cost_vals, order_vals)``: the cost lines of the orders (values for
        ``sbk.order.cost``) and ``{order id: values to write on the order}``."""
        currency = self.currency
        revenue = self.get_revenue()
        cost_vals = self.get_bill_costs(revenue)
        procurement, pending = self.get_procurement_costs()
        cost_vals += procurement
        totals = defaultdict(lambda: defaultdict(float))
        for vals in cost_vals:
            totals[vals["sale_order_id"]][vals["dimension"]] += vals["amount"]
        bases = {}
        for order in self.orders:
            order_totals = totals[order.id]
            bases[order.id] = self.get_basis_figures(order, revenue[order.id], order_totals)
            com_vals = self._prepare_commission_vals(order, revenue[order.id], bases[order.id])
            if com_vals:
                com_vals["amount"] = currency.round(com_vals["amount"])
                cost_vals.append(com_vals)
                order_totals["commission"] += com_vals["amount"]
        self._check_hs_codes()
        rebate_vals = self.get_rebate_costs(procurement, bases)
        for vals in rebate_vals:
            # Each line is rounded once; the order's totals are the sums of its lines.
            vals["amount"] = currency.round(vals["amount"])
            totals[vals["sale_order_id"]][vals["dimension"]] += vals["amount"]
        cost_vals += rebate_vals
        expected_tax = defaultdict(lambda: defaultdict(float))
        for vals in self.get_rebate_costs(procurement + pending, bases):
            expected_tax[vals["sale_order_id"]][vals["dimension"]] += currency.round(vals["amount"])
        # The tax office's answers replace the expected rebate of what they answered.
        rebate_statuses = {}
        for order_id, (vals, status) in self.get_claim_adjustments(totals).items():
            rebate_statuses[order_id] = status
            for adjustment in vals:
                totals[order_id]["tax_rebate"] += adjustment["amount"]
                expected_tax[order_id]["tax_rebate"] += adjustment["amount"]
                cost_vals.append(adjustment)
        pending_procurement = defaultdict(float)
        for vals in pending:
            pending_procurement[vals["sale_order_id"]] += vals["amount"]
        now = fields.Datetime.now()
        order_vals = {}
        for order in self.orders:
            vals = self._prepare_figures_vals(
                order,
                revenue[order.id],
                totals[order.id],
                bases[order.id],
                pending_procurement.get(order.id),
                expected_tax[order.id],
            )
            vals["sbk_rebate_status"] = rebate_statuses.get(order.id, "expected")
            vals["sbk_cost_warning"] = "\n".join(self.warnings[order.id]) or False
            vals["sbk_cost_date"] = now
            order_vals[order.id] = vals
        return cost_vals, order_vals

    def _prepare_figures_vals(self, order, revenue, totals, bases, pending, expected_tax):
        """The stored figures of ``order``: posted totals, expected totals and their status,
        profit on each basis, expected profit and completeness. ``pending``: the procurement
        still to come (``None`` when nothing is), ``expected_tax``: VAT borne and rebate on
        the expected procurement."""
        currency = self.currency
        actual = {dimension: currency.round(totals.get(dimension, 0.0)) for dimension in DIMENSIONS}
        expected, statuses = self._get_expected_costs(order, actual, bases, pending, expected_tax)
        figures = order_figures(
            revenue,
            actual,
            bases,
            order.sbk_commission_rate,
            order.sbk_commission_base,
            self.decimals,
        )
        complete = all(status == "actual" for status in statuses.values())
        figures.update(expected_figures(revenue, actual, expected, complete, self.decimals))
        vals = {"sbk_revenue": revenue, "sbk_costs_complete": complete}
        for dimension, (actual_field, expected_field, status_field) in DIMENSION_FIELDS.items():
            vals[actual_field] = actual[dimension]
            vals[expected_field] = expected[dimension]
            vals[status_field] = statuses[dimension]
        for name, field_name in FIGURE_FIELDS.items():
            vals[field_name] = figures[name]
        return vals

    def _get_expected_costs(self, order, actual, bases, pending, expected_tax):
        """``({dimension: expected amount}, {dimension: status})`` of ``order``.

        Procurement: posted plus what is still to come (``pending``). Freight, customs and
        insurance the seller bears on the order's Incoterm are expected until a bill is posted:
        the ocean freight at the order's estimate, the insurance by the formula on the CIF value,
        domestic freight and customs fee at zero (no estimate). Commission is known from the
        order. VAT borne and rebate follow what they rest on.
        """
        currency = self.currency
        export = order.sbk_trade_type == "export"
        borne = SELLER_BEARS[incoterm_basis(order.incoterm.code)] if export else ()
        expected = dict(actual)
        statuses = dict.fromkeys(DIMENSIONS, "actual")
        procurement_pending = pending is not None
        if procurement_pending:
            expected["procurement"] = currency.round(actual["procurement"] + pending)
            statuses["procurement"] = cost_status(not currency.is_zero(actual["procurement"]), True)
        for dimension in borne:
            if currency.is_zero(actual[dimension]):
                statuses[dimension] = "expected"
                if dimension == "ocean_freight":
                    expected[dimension] = currency.round(order.sbk_freight_estimate)
                elif dimension == "insurance":
                    expected[dimension] = currency.round(bases["insurance"])
        if export:
            credit_refund = self.company.sbk_rebate_method == "exempt_credit_refund"
            tax_pending = procurement_pending or (
                credit_refund
                and any(statuses[d] != "actual" for d in ("ocean_freight", "insurance"))
            )
            for dimension in ("vat_borne", "tax_rebate"):
                expected[dimension] = currency.round(expected_tax.get(dimension, 0.0))
                statuses[dimension] = cost_status(
                    not currency.is_zero(actual[dimension]), tax_pending
                )
                if not tax_pending:
                    expected[dimension] = actual[dimension]
        return expected, statuses

    # -- revenue -----------------------------------------------------------------------------

    def get_revenue(self):
        """{order id: revenue in company currency}: the posted invoices at their dates, the
        part not yet invoiced at the order date."""
        orders = self.orders
        company_currency = self.currency
        invoiced = defaultdict(float)
        invoiced_in_order_currency = defaultdict(float)
        lines = self.env["account.move.line"].search_fetch(
            [
                ("sale_line_ids.order_id", "in", orders.ids),
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
        for order in orders:
            rest = 0.0
            if order.state != "cancel" and order.invoice_status != "invoiced":
                rest = max(order.amount_untaxed - invoiced_in_order_currency[order.id], 0.0)
            if rest and order.currency_id != company_currency:
                date = fields.Date.to_date(order.date_order) or fields.Date.context_today(order)
                key = (order.currency_id, date)
                if key not in rates:
                    rates[key] = self.env["res.currency"]._get_conversion_rate(
                        order.currency_id, company_currency, order.company_id, date
                    )
                rest *= rates[key]
            result[order.id] = company_currency.round(invoiced[order.id] + rest)
        return result

    # -- costs tagged on journal items -------------------------------------------------------

    def get_bill_costs(self, revenue):
        """Cost lines from the posted journal items tagged for the orders, shared costs split
        among their orders (largest remainder, exact to the cent)."""
        lines = self.env["account.move.line"].search_fetch(
            [
                ("sbk_sale_order_ids", "in", self.orders.ids),
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
        weights = OrderCostBuilder(shared.sbk_sale_order_ids).get_allocation_weights(revenue)
        own_ids = set(self.orders.ids)
        sources = lines._sbk_get_cost_sources()
        result = []
        for line in lines:
            orders = line.sbk_sale_order_ids
            basis = line.sbk_allocation_basis or "value"
            if len(orders) == 1:
                shares, basis = {orders.id: line.balance}, False
            else:
                try:
                    shares = self.allocate(orders, line.balance, basis, weights)
                except AllocationError:
                    message = self.env._(
                        "%(entry)s (%(line)s) is not allocated: none of its orders has any "
                        "weight on the basis %(basis)s.",
                        entry=line.move_id.name,
                        line=line.name or "",
                        basis=basis_labels.get(basis, basis),
                    )
                    for order_id in own_ids.intersection(orders.ids):
                        self.warnings[order_id].append(message)
                    continue
            for order_id, amount in shares.items():
                if order_id not in own_ids:
                    continue
                result.append(
                    {
                        "sale_order_id": order_id,
                        "dimension": line.sbk_cost_dimension,
                        "amount": amount,
                        "source_ref": sources[line.id],
                        "move_line_id": line.id,
                        "allocation_basis": basis,
                        "product_id": line.product_id.id,
                        "description": line.name or line.move_id.name,
                        "source_amount": line.balance,
                        "date": line.date,
                    }
                )
        return result

    def allocate(self, orders, amount, basis, weights):
        """{order id: share} of ``amount`` among ``orders`` by ``basis``; raises
        ``AllocationError`` when none has any weight on it."""
        basis_weights = weights[basis]
        return allocate(
            amount,
            {order.id: basis_weights.get(order.id, 0.0) for order in orders},
            decimals=self.decimals,
            basis=basis,
        )

    def get_allocation_weights(self, revenue=None):
        """{basis: {order id: weight}} for splitting a shared cost among the orders.

        ``value`` is the revenue; the physical bases come from the delivered quantities (the
        ordered ones before anything is delivered) as ``product.product._sbk_get_packing``
        packs them: the same figures as the packing list and the declaration.
        """
        orders = self.orders
        revenue = dict(revenue or {})
        missing = orders.filtered(lambda o: o.id not in revenue)
        if missing:
            revenue.update(OrderCostBuilder(missing).get_revenue())
        weights = {
            "value": {order.id: max(revenue[order.id], 0.0) for order in orders},
            "gross_weight": defaultdict(float),
            "volume": defaultdict(float),
            "quantity": defaultdict(float),
            "cartons": defaultdict(float),
        }
        lines = self.get_sale_lines()
        delivered_orders = {line.order_id.id for line in lines if line.qty_delivered > 0}
        for line in lines:
            order_id = line.order_id.id
            qty = line.qty_delivered if order_id in delivered_orders else line.product_uom_qty
            product = line.product_id
            if line.product_uom != product.uom_id:
                qty = line.product_uom._compute_quantity(qty, product.uom_id, round=False)
            if qty <= 0:
                continue
            packing = product._sbk_get_packing(qty)
            weights["quantity"][order_id] += qty
            weights["cartons"][order_id] += packing.cartons
            weights["volume"][order_id] += packing.volume
            weights["gross_weight"][order_id] += packing.gross_weight
        return weights

    def get_sale_lines(self):
        """The orders' lines of goods (no sections, notes or services), read once."""
        if self._sale_lines is None:
            self._sale_lines = self.env["sale.order.line"].search_fetch(
                [
                    ("order_id", "in", self.orders.ids),
                    ("display_type", "=", False),
                    ("product_id.type", "!=", "service"),
                ],
                [
                    "order_id",
                    "product_id",
                    "product_uom",
                    "product_uom_qty",
                    "qty_delivered",
                    "price_subtotal",
                    "discount",
                    "sbk_quoted_price_fob",
                    "sbk_quoted_price_cif",
                    "sbk_taxed_export",
                ],
            )
        return self._sale_lines

    def get_lines_by_order(self):
        """{order id: [its lines of goods]}, from ``get_sale_lines``."""
        if self._lines_by_order is None:
            self._lines_by_order = defaultdict(list)
            for line in self.get_sale_lines():
                self._lines_by_order[line.order_id.id].append(line)
        return self._lines_by_order

    # -- procurement -------------------------------------------------------------------------

    def get_procurement_costs(self):
        """``(posted, pending)`` procurement lines of the orders.

        Posted: the purchase lines generated for the orders (received quantity x price
        excluding VAT, at the purchase's date) and, for what the orders consumed beyond what
        was bought or made for them, its stock valuation. What an order consumes: its
        deliveries (less returns) and the components of its manufacturing orders; what its
        manufacturing orders produce is made from those components, so it counts through them
        and not again at its valuation.

        Pending (not stored, for the expected cost): the generated purchases' quantities still
        to receive at their price, and what the orders will still take from stock (open
        deliveries and components, or the lines of a quotation, beyond what open purchases and
        manufacturing orders will bring) at the products' standard cost.

        Each line carries ``vat_rate`` (the rate on the vendor's bill, the HS code's while none
        exists) for the rebate, removed before the lines are created.
        """
        company_currency = self.currency
        posted = []
        pending = []
        covered = defaultdict(float)  # (order id, product id) -> quantity bought or made for it
        to_cover = defaultdict(float)  # the same, still to receive or make
        purchase_lines = self.env["purchase.order.line"].search_fetch(
            [
                ("order_id.sbk_sale_order_id", "in", self.orders.ids),
                ("state", "in", ("purchase", "done")),
                ("display_type", "=", False),
            ],
            [
                "order_id",
                "product_id",
                "product_uom",
                "product_qty",
                "product_uom_qty",
                "qty_received",
                "price_subtotal",
                "currency_id",
                "invoice_lines",
                "name",
            ],
        )
        incoming = self._get_open_incoming(purchase_lines)
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
            to_receive = incoming.get(line.id, 0.0)
            to_cover[order_id, product.id] += to_receive
            if not line.product_qty:
                continue
            date = fields.Date.to_date(purchase.date_approve or purchase.date_order)
            vals = {
                "sale_order_id": order_id,
                "dimension": "procurement",
                "source_ref": f"purchase.order,{purchase.id}",
                "product_id": product.id,
                "description": f"{purchase.name}: {product.display_name}",
                "date": date,
                "vat_rate": self._get_bill_vat_rate(line.invoice_lines, product, order_id),
            }
            if line.qty_received:
                amount = line.price_subtotal * line.qty_received / line.product_qty
                posted.append(dict(vals, amount=self._to_company(line, amount, date)))
            if to_receive and line.product_uom_qty:
                amount = line.price_subtotal * to_receive / line.product_uom_qty
                pending.append(dict(vals, amount=self._to_company(line, amount, date)))
        stock_posted, stock_pending = self._get_stock_consumption_costs(covered, to_cover)
        posted += stock_posted
        pending += stock_pending
        for vals in posted + pending:
            vals["amount"] = company_currency.round(vals["amount"])
        return posted, pending

    def _to_company(self, purchase_line, amount, date):
        if purchase_line.currency_id == self.currency:
            return amount
        return purchase_line.currency_id._convert(
            amount, self.currency, purchase_line.order_id.company_id, date, round=False
        )

    def _get_open_incoming(self, purchase_lines):
        """{purchase line id: quantity still to receive (product UoM)}: its open receipts."""
        moves = self.env["stock.move"].search_fetch(
            [
                ("purchase_line_id", "in", purchase_lines.ids),
                ("state", "not in", OPEN),
                ("location_id.usage", "=", "supplier"),
            ],
            ["purchase_line_id", "product_qty"],
        )
        result = defaultdict(float)
        for move in moves:
            result[move.purchase_line_id.id] += move.product_qty
        return result

    def _get_bill_vat_rate(self, bill_lines, product, order_id):
        """The VAT rate on the vendor's posted bill; the HS code's rate (in force on the
        export date) while none exists."""
        for bill_line in bill_lines:
            if bill_line.parent_state == "posted":
                return sum(tax.amount for tax in bill_line.tax_ids if tax.amount_type == "percent")
        return self.get_tax_rates(order_id, product)[0]

    def _get_stock_consumption_costs(self, covered, to_cover):
        """``(posted, pending)``: what the orders took from stock at its valuation, and what
        they will still take at standard cost."""
        orders = self.orders
        moves = self.env["stock.move"]
        productions = orders.mrp_production_ids | orders.sbk_production_ids
        productions = productions.filtered(lambda p: p.state != "cancel")
        production_order = {}
        for order in orders:
            for production in order.mrp_production_ids | order.sbk_production_ids:
                production_order.setdefault(production.id, order.id)
        delivery_moves = moves.search_fetch(
            [("sale_line_id.order_id", "in", orders.ids), ("state", "!=", "cancel")],
            [
                "sale_line_id",
                "picking_id",
                "product_id",
                "state",
                "product_qty",
                "location_dest_id",
            ],
        )
        production_moves = moves.search_fetch(
            [
                "|",
                ("raw_material_production_id", "in", productions.ids),
                ("production_id", "in", productions.ids),
                ("state", "!=", "cancel"),
            ],
            ["raw_material_production_id", "production_id", "product_id", "state", "product_qty"],
        )
        done_moves = (delivery_moves | production_moves).filtered(lambda m: m.state == "done")
        layers = self.env["stock.valuation.layer"]._read_group(
            [("stock_move_id", "in", done_moves.ids)],
            ["stock_move_id"],
            ["value:sum", "quantity:sum"],
        )
        valued = {move.id: (value, quantity) for move, value, quantity in layers}
        consumed = defaultdict(list)  # (order id, product id) -> [(source ref, value, quantity)]
        to_consume = defaultdict(float)  # (order id, product id) -> open quantity
        for move in delivery_moves:
            key = (move.sale_line_id.order_id.id, move.product_id.id)
            if move.state != "done":
                if move.location_dest_id.usage == "customer":
                    to_consume[key] += move.product_qty
                continue
            value, quantity = valued.get(move.id, (0.0, 0.0))
            source = f"stock.picking,{move.picking_id.id}" if move.picking_id else False
            consumed[key].append((source, -value, -quantity))
        for move in production_moves:
            production = move.production_id or move.raw_material_production_id
            key = (production_order.get(production.id), move.product_id.id)
            if move.state != "done":
                if move.production_id:
                    to_cover[key] += move.product_qty
                else:
                    to_consume[key] += move.product_qty
                continue
            value, quantity = valued.get(move.id, (0.0, 0.0))
            if move.production_id:
                covered[key] += quantity
                continue
            consumed[key].append((f"mrp.production,{production.id}", -value, -quantity))
        moved_lines = set(delivery_moves.sale_line_id.ids)
        for line in self.get_sale_lines():
            # A line nothing moves for (a quotation, an order imported as confirmed): what it
            # has still to deliver is what it will take.
            if (
                line.id in moved_lines
                or line.order_id.state == "cancel"
                or line.product_id.type != "consu"
            ):
                continue
            remaining = max(line.product_uom_qty - line.qty_delivered, 0.0)
            key = (line.order_id.id, line.product_id.id)
            to_consume[key] += line.product_uom._compute_quantity(
                remaining, line.product_id.uom_id, round=False
            )
        posted = []
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
                posted.append(
                    {
                        "sale_order_id": order_id,
                        "dimension": "procurement",
                        "amount": amount,
                        "source_ref": source,
                        "product_id": product_id,
                        "description": self.env._(
                            "%(product)s from stock (valuation)", product=product.display_name
                        ),
                        "vat_rate": self.get_tax_rates(order_id, product)[0],
                    }
                )
        pending = []
        for (order_id, product_id), open_qty in to_consume.items():
            if order_id is None:
                continue
            key = (order_id, product_id)
            consumed_qty = sum(entry[2] for entry in consumed.get(key, ()))
            quantity = stock_to_come(consumed_qty, covered[key], open_qty, to_cover[key])
            if float_is_zero(quantity, precision_digits=self.qty_digits):
                continue
            product = self.env["product.product"].browse(product_id)
            pending.append(
                {
                    "sale_order_id": order_id,
                    "dimension": "procurement",
                    "amount": quantity * product.standard_price,
                    "product_id": product_id,
                    "vat_rate": self.get_tax_rates(order_id, product)[0],
                }
            )
        return posted, pending

    # -- commission, bases, rebate -----------------------------------------------------------

    def get_basis_figures(self, order, revenue, totals):
        """The order's value on the FOB and CIF bases (company currency) with the ocean freight
        and insurance the CIF basis carries."""
        company = self.company
        ocean_freight = totals.get("ocean_freight", 0.0)
        if not ocean_freight:
            ocean_freight = order.sbk_freight_estimate
        insurance = totals.get("insurance") or None
        basis = incoterm_basis(order.incoterm.code)
        bases = basis_totals(
            basis,
            revenue,
            totals.get("domestic_freight", 0.0) + totals.get("customs_fee", 0.0),
            ocean_freight,
            insurance,
            company.sbk_insurance_rate,
            company.sbk_insurance_markup,
            self.decimals,
        )
        # The prices quoted to the buyer on the other term (the term sold is price_unit).
        quotes = {"fob": [], "cif": []}
        for line in self.get_lines_by_order()[order.id]:
            for term, quoted in (
                ("fob", line.sbk_quoted_price_fob),
                ("cif", line.sbk_quoted_price_cif),
            ):
                if quoted and term != basis:
                    value = line.product_uom_qty * quoted * (1.0 - (line.discount or 0.0) / 100.0)
                    quotes[term].append((line.price_subtotal, value))
        bases["revenue"] = revenue
        return quoted_bases(
            bases,
            revenue,
            order.amount_untaxed,
            quotes["fob"],
            quotes["cif"],
            insurance,
            company.sbk_insurance_rate,
            company.sbk_insurance_markup,
            self.decimals,
        )

    def _prepare_commission_vals(self, order, revenue, bases):
        """The agent's commission on the order itself: rate x base + fixed amount."""
        if not order.sbk_commission_rate and not order.sbk_commission_fixed:
            return None
        base = commission_base(
            order.sbk_commission_base, "landed", revenue, bases["fob"], bases["cif"]
        )
        amount = commission(order.sbk_commission_rate, base, order.sbk_commission_fixed)
        return {
            "sale_order_id": order.id,
            "dimension": "commission",
            "amount": amount,
            "source_ref": f"sale.order,{order.id}",
            "description": self.env._(
                "%(agent)s: %(rate)s %% of %(base)s + %(fixed)s",
                agent=order.sbk_agent_id.display_name or self.env._("Agent"),
                rate=order.sbk_commission_rate,
                base=self.currency.round(base),
                fixed=order.sbk_commission_fixed,
            ),
            "date": fields.Date.to_date(order.date_order),
        }

    def _check_hs_codes(self):
        """A product without HS code on an export order: its rebate is unknown (a warning, not
        a zero to assume). Goods under the taxed export regime: no rebate, output VAT out of
        scope (a warning too)."""
        for line in self.get_sale_lines():
            if line.order_id.sbk_trade_type == "export" and line.sbk_taxed_export:
                self.warnings[line.order_id.id].append(
                    self.env._(
                        "%(product)s is exported under the taxed regime: no rebate; its output "
                        "VAT is not on this cost sheet.",
                        product=line.product_id.display_name,
                    )
                )
            if line.order_id.sbk_trade_type == "export" and not line.product_id.sbk_hs_code_id:
                self.warnings[line.order_id.id].append(
                    self.env._(
                        "%(product)s has no HS code: its export rebate is unknown.",
                        product=line.product_id.display_name,
                    )
                )

    def get_claim_adjustments(self, totals):
        """{order id: (cost lines, rebate status)}: for each order with filed rebate claims, the
        difference the approved, received or rejected amounts make to its computed rebate, one
        line per claim, and how far its rebate is known."""
        lines = self.env["sbk.rebate.claim.line"].search_fetch(
            [("sale_order_id", "in", self.orders.ids), ("state", "!=", "draft")],
            [
                "claim_id",
                "sale_order_id",
                "state",
                "amount_expected",
                "amount_approved",
                "amount_received",
            ],
        )
        by_order = defaultdict(lambda: defaultdict(list))
        for line in lines:
            by_order[line.sale_order_id.id][line.claim_id].append(
                (line.state, line.amount_expected, line.amount_approved, line.amount_received)
            )
        result = {}
        for order_id, claims in by_order.items():
            computed = totals[order_id].get("tax_rebate", 0.0)
            all_lines = [entry for entries in claims.values() for entry in entries]
            _rebate, status = rebate_with_claims(computed, all_lines)
            vals = []
            for claim, entries in claims.items():
                difference, _status = rebate_with_claims(0.0, entries)
                difference = self.currency.round(difference)
                if self.currency.is_zero(difference):
                    continue
                vals.append(
                    {
                        "sale_order_id": order_id,
                        "dimension": "tax_rebate",
                        "amount": difference,
                        "source_ref": f"sbk.rebate.claim,{claim.id}",
                        "description": self.env._(
                            "%(claim)s: answered rebate instead of the expected one",
                            claim=claim.name,
                        ),
                        "date": claim.date_received or claim.date_approved or claim.date_filed,
                    }
                )
            result[order_id] = (vals, status)
        return result

    def get_export_dates(self):
        """{order id: export date}: the rates of the rebate are those in force on it."""
        if self._export_dates is None:
            self._export_dates = self.orders._sbk_get_export_dates()
        return self._export_dates

    def get_tax_rates(self, order_id, product):
        """``(vat_rate, rebate_rate)`` of ``product`` on the export date of the order."""
        on_date = self.get_export_dates().get(order_id)
        key = (product.id, on_date)
        if key not in self._tax_rates:
            self._tax_rates[key] = product._sbk_get_tax_rates(on_date)
        return self._tax_rates[key]

    def get_taxed_products(self):
        """{order id: ids of the products its lines export under the taxed regime}."""
        result = defaultdict(set)
        for line in self.get_sale_lines():
            if line.sbk_taxed_export:
                result[line.order_id.id].add(line.product_id.id)
        return result

    def get_rebate_costs(self, procurement, bases):
        """VAT borne and export tax rebate of the export orders, by the company's method, on
        the given procurement lines."""
        result = []
        exports = self.orders.filtered(lambda o: o.sbk_trade_type == "export")
        if not exports:
            return result
        export_ids = set(exports.ids)
        by_order = defaultdict(list)
        for vals in procurement:
            if vals["sale_order_id"] in export_ids:
                by_order[vals["sale_order_id"]].append(vals)
        lines_by_order = defaultdict(list)
        for line in self.get_sale_lines():
            lines_by_order[line.order_id.id].append(line)
        credit_refund = self.company.sbk_rebate_method == "exempt_credit_refund"
        taxed = self.get_taxed_products()
        for order in exports:
            # Goods under the taxed regime are sold as at home for VAT: no rebate, no VAT
            # borne (their output VAT is out of the cost sheet's scope, the order is flagged).
            procurement_lines = [
                vals for vals in by_order[order.id] if vals["product_id"] not in taxed[order.id]
            ]
            if credit_refund:
                result += self._rebate_credit_refund(
                    order,
                    lines_by_order[order.id],
                    procurement_lines,
                    self._get_fob_at_export_date(order, bases),
                    taxed[order.id],
                )
            else:
                result += self._rebate_exempt_refund(order, procurement_lines)
        return result

    def _get_fob_at_export_date(self, order, bases):
        """The order's declared FOB value in company currency at the rate of its export date
        (exempt-credit-refund rests on it), not at the invoice's or order's."""
        fob = bases[order.id]["fob"]
        if order.currency_id == self.currency or not bases[order.id].get("revenue"):
            return fob
        in_order_currency = fob * order.amount_untaxed / bases[order.id]["revenue"]
        return order.currency_id._convert(
            in_order_currency,
            self.currency,
            order.company_id,
            self.get_export_dates()[order.id],
            round=False,
        )

    def _rebate_vals(self, order, vals, vat_borne, rebate):
        result = []
        for dimension, amount in (("vat_borne", vat_borne), ("tax_rebate", rebate)):
            if amount:
                result.append(
                    {
                        "sale_order_id": order.id,
                        "dimension": dimension,
                        "amount": amount,
                        "source_ref": vals.get("source_ref"),
                        "product_id": vals.get("product_id"),
                        "description": vals.get("description"),
                        "date": vals.get("date"),
                    }
                )
        return result

    def _rebate_exempt_refund(self, order, procurement):
        """Exempt-refund: on each purchase, VAT borne P x v_inv and rebate P x min(r, v_inv)."""
        result = []
        products = self.env["product.product"]
        for vals in procurement:
            product = products.browse(vals["product_id"])
            _vat_rate, rebate_rate = self.get_tax_rates(order.id, product)
            vat_borne, rebate = rebate_exempt_refund(
                [(vals["amount"], vals.get("vat_rate") or 0.0, rebate_rate)]
            )
            result += self._rebate_vals(order, vals, vat_borne, rebate)
        return result

    def _rebate_credit_refund(self, order, order_lines, procurement, fob_total, taxed=()):
        """Exempt-credit-refund: on each line's share of the FOB value, rebate FOB x r and the
        notional VAT FOB x v; a product without rebate (r = 0) bears its input VAT as under
        exempt-refund."""
        result = []
        subtotal = sum(line.price_subtotal for line in order_lines)
        no_rebate = set()
        for line in order_lines:
            product = line.product_id
            if product.id in taxed:
                continue
            vat_rate, rebate_rate = self.get_tax_rates(order.id, product)
            if not rebate_rate:
                no_rebate.add(product.id)
                continue
            fob = fob_total * line.price_subtotal / subtotal if subtotal else 0.0
            vat_borne, rebate = rebate_exempt_credit_refund(fob, vat_rate, rebate_rate)
            vals = {
                "source_ref": f"sale.order,{order.id}",
                "product_id": product.id,
                "description": self.env._(
                    "%(product)s: FOB %(fob)s", product=product.display_name, fob=round(fob, 2)
                ),
                "date": fields.Date.to_date(order.date_order),
            }
            result += self._rebate_vals(order, vals, vat_borne, rebate)
        for vals in procurement:
            if vals["product_id"] in no_rebate:
                vat_borne, _rebate = rebate_exempt_refund(
                    [(vals["amount"], vals.get("vat_rate") or 0.0, 0.0)]
                )
                result += self._rebate_vals(order, vals, vat_borne, 0.0)
        return result
