from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..models.cost_builder import COST_FIELDS, EXPECTED_COST_FIELDS
from ..models.group_sql import ratio_of_sums_sql


def _ratio(string, help_text=None):
    """A percentage whose group value is a ratio of sums (see ``_RATIO_FIELDS``)."""
    return fields.Float(
        string=string, readonly=True, digits=(16, 2), aggregator="sum", help=help_text
    )


def _sum_of(field_names):
    """``o.a + o.b + ...`` over the order's columns, an empty column counting 0."""
    return SQL(" + ").join(SQL("COALESCE(o.%s, 0)", SQL.identifier(f)) for f in field_names)


class SbkProfitReport(models.Model):
    """Expected and real profit and margin by customer, product, Incoterm, salesperson and
    month, with how much of the cost has arrived.

    One row per order line: the order's figures shared among its lines by value (the order's
    untaxed amount), so that grouping by product adds up to the orders' totals. Margins and
    completeness are recomputed from the sums, never averaged. The real profit and margin
    count the orders whose costs are complete only (empty on the others): a profit still
    waiting for costs is not a real one, the expected profit is. A user sees the rows of the
    orders whose cost sheet they may open (``sale.order._sbk_check_cost_access``): the cost
    groups, on the orders they may read.
    """

    _name = "sbk.profit.report"
    _description = "Order Profit Analysis"
    _auto = False
    _rec_name = "order_id"
    _order = "date desc"
    # What the view reads: flushed before any query on it.
    _depends = {
        "sale.order": [
            "partner_id",
            "incoterm",
            "user_id",
            "team_id",
            "company_id",
            "date_order",
            "sbk_trade_type",
            "state",
            "sbk_revenue",
            "sbk_cost_procurement",
            "sbk_apparent_profit",
            "sbk_real_profit",
            "sbk_real_margin",
            "sbk_profit_fob",
            "sbk_profit_cif",
            "sbk_term_advantage",
            "sbk_better_term",
            "sbk_port_of_discharge",
            "sbk_expected_profit",
            "sbk_expected_margin",
            "sbk_cost_completeness",
            "sbk_costs_complete",
            *COST_FIELDS,
            *EXPECTED_COST_FIELDS,
        ],
        "sale.order.line": [
            "order_id",
            "product_id",
            "product_uom_qty",
            "price_subtotal",
            "display_type",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "res.partner": ["country_id"],
        "res.company": ["currency_id"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one("res.country", string="Customer Country", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    incoterm_id = fields.Many2one("account.incoterms", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Datetime(string="Order Date", readonly=True)
    trade_type = fields.Selection([("export", "Export"), ("domestic", "Domestic")], readonly=True)
    state = fields.Selection(
        [
            ("draft", "Quotation"),
            ("sent", "Quotation Sent"),
            ("sale", "Sales Order"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        readonly=True,
    )
    quantity = fields.Float(readonly=True)
    revenue = fields.Monetary(readonly=True)
    procurement = fields.Monetary(readonly=True)
    landed_costs = fields.Monetary(
        string="Other Costs",
        readonly=True,
        help="Freight, customs, insurance, commission and VAT borne, less the rebate.",
    )
    apparent_profit = fields.Monetary(readonly=True)
    real_profit = fields.Monetary(
        readonly=True,
        help="Revenue less the costs posted, for the orders whose costs are complete only: the "
        "profit of an order still waiting for costs is not final.",
    )
    profit_fob = fields.Monetary(string="Profit on FOB", readonly=True)
    profit_cif = fields.Monetary(string="Profit on CIF", readonly=True)
    term_advantage = fields.Monetary(
        string="FOB over CIF",
        readonly=True,
        help="Profit on FOB minus profit on CIF, from the prices quoted on each term: positive "
        "where FOB paid more, negative where CIF did.",
    )
    better_term = fields.Selection(
        [("fob", "FOB"), ("cif", "CIF"), ("equal", "Same")],
        readonly=True,
        help="The term on which the order would have paid more.",
    )
    port_of_discharge = fields.Char(string="Destination", readonly=True)
    real_margin = _ratio(
        "Real Margin (%)",
        "Real profit over revenue, for the orders whose costs are complete only; for a group, "
        "the real profit of its complete orders over their revenue.",
    )
    apparent_margin = _ratio("Apparent Margin (%)")
    expected_profit = fields.Monetary(
        readonly=True,
        help="Revenue less the costs expected from what is committed (purchases, stock at "
        "standard cost, freight estimate, insurance formula) plus the expected rebate.",
    )
    expected_margin = _ratio(
        "Expected Margin (%)",
        "Expected profit over revenue; for a group, the group's expected profit over its revenue.",
    )
    posted_costs = fields.Monetary(string="Costs Posted", readonly=True)
    expected_costs = fields.Monetary(string="Costs Expected", readonly=True)
    cost_completeness = _ratio(
        "Costs Posted (%)",
        "Posted costs over expected costs; 100 when every cost of the orders has arrived.",
    )
    costs_complete = fields.Boolean(
        readonly=True, help="Every cost of the order has arrived: its real profit is final."
    )

    # Ratios of sums: what a margin of a group means. The pivot asks for "<field>:sum".
    # (numerator, denominator, the boolean a row must have to count in the denominator)
    _RATIO_FIELDS = {
        "real_margin": ("real_profit", "revenue", "costs_complete"),
        "apparent_margin": ("apparent_profit", "revenue", None),
        "expected_margin": ("expected_profit", "revenue", None),
        "cost_completeness": ("posted_costs", "expected_costs", None),
    }

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        # The rows of the orders the user may read, as for their cost sheets: the access
        # rights of the report only say who sees costs at all. Searching ``order_id`` with
        # "any" runs sale.order's own search, under its record rules.
        if not self.env.su:
            domain = expression.AND([domain, [("order_id", "any", [])]])
        return super()._search(domain, offset=offset, limit=limit, order=order, **kwargs)

    def _read_group_select(self, aggregate_spec, query):
        fname, _sep, func = aggregate_spec.partition(":")
        if fname in self._RATIO_FIELDS and func in ("sum", "avg"):
            numerator, denominator, condition = self._RATIO_FIELDS[fname]
            # The real profit of the orders still waiting for costs is left out (NULL): so is
            # their revenue.
            return ratio_of_sums_sql(self, query, [numerator], [denominator], condition)
        return super()._read_group_select(aggregate_spec, query)

    @property
    def _table_query(self):
        # A view over order lines with window sums: the ORM has no per-line share of an
        # order's stored figures.
        return SQL(
            """
            SELECT l.id AS id,
                   o.id AS order_id,
                   o.partner_id AS partner_id,
                   partner.country_id AS country_id,
                   l.product_id AS product_id,
                   product.product_tmpl_id AS product_tmpl_id,
                   template.categ_id AS categ_id,
                   o.incoterm AS incoterm_id,
                   o.user_id AS user_id,
                   o.team_id AS team_id,
                   o.company_id AS company_id,
                   company.currency_id AS currency_id,
                   o.date_order AS date,
                   o.sbk_trade_type AS trade_type,
                   o.state AS state,
                   l.product_uom_qty AS quantity,
                   l.share * o.sbk_revenue AS revenue,
                   l.share * o.sbk_cost_procurement AS procurement,
                   l.share * (o.sbk_apparent_profit - o.sbk_real_profit) AS landed_costs,
                   l.share * o.sbk_apparent_profit AS apparent_profit,
                   CASE WHEN o.sbk_costs_complete THEN l.share * o.sbk_real_profit END
                       AS real_profit,
                   l.share * o.sbk_profit_fob AS profit_fob,
                   l.share * o.sbk_profit_cif AS profit_cif,
                   l.share * o.sbk_term_advantage AS term_advantage,
                   o.sbk_better_term AS better_term,
                   o.sbk_port_of_discharge AS port_of_discharge,
                   CASE WHEN o.sbk_costs_complete THEN o.sbk_real_margin END AS real_margin,
                   CASE WHEN o.sbk_revenue <> 0
                        THEN o.sbk_apparent_profit / o.sbk_revenue * 100 ELSE 0 END
                       AS apparent_margin,
                   l.share * o.sbk_expected_profit AS expected_profit,
                   o.sbk_expected_margin AS expected_margin,
                   l.share * (%(posted_costs)s) AS posted_costs,
                   l.share * (%(expected_costs)s) AS expected_costs,
                   o.sbk_cost_completeness AS cost_completeness,
                   COALESCE(o.sbk_costs_complete, FALSE) AS costs_complete
              FROM (
                    SELECT line.id, line.order_id, line.product_id, line.product_uom_qty,
                           CASE WHEN SUM(line.price_subtotal) OVER w <> 0
                                THEN line.price_subtotal / SUM(line.price_subtotal) OVER w
                                ELSE 1.0 / COUNT(*) OVER w END AS share
                      FROM sale_order_line line
                     WHERE line.display_type IS NULL
                    WINDOW w AS (PARTITION BY line.order_id)
                   ) l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_company company ON company.id = o.company_id
              JOIN res_partner partner ON partner.id = o.partner_id
              LEFT JOIN product_product product ON product.id = l.product_id
              LEFT JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE o.state != 'cancel'
            """,
            posted_costs=_sum_of(COST_FIELDS),
            expected_costs=_sum_of(EXPECTED_COST_FIELDS),
        )
