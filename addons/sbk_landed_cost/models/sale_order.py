import logging
import threading

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import READ_GROUP_AGGREGATE

from ..report.sbk_cost_sheet_xlsx import CostSheetWorkbook
from ..tools.trade_profit import split_freight_insurance
from .cost_builder import COST_FIELDS, DIMENSION_FIELDS, EXPECTED_COST_FIELDS, OrderCostBuilder
from .group_sql import only_if_sql, ratio_of_sums_sql

_logger = logging.getLogger(__name__)

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
    "sbk_pricelist_fob_id",
    "sbk_pricelist_cif_id",
}

COST_STATUSES = [("actual", "Actual"), ("partial", "Partly Actual"), ("expected", "Expected")]
# Ratios of a group: (numerator fields, denominator fields, the boolean an order must have to
# count), summed over the group.
RATIO_FIELDS = {
    "sbk_real_margin": (["sbk_real_profit"], ["sbk_revenue"], "sbk_costs_complete"),
    "sbk_expected_margin": (["sbk_expected_profit"], ["sbk_revenue"], None),
    "sbk_cost_completeness": (COST_FIELDS, EXPECTED_COST_FIELDS, None),
}
# Figures a group counts over the orders having the boolean only: the real profit of an order
# still waiting for costs is no profit yet (its own row shows it as it stands).
CONDITIONAL_FIELDS = {"sbk_real_profit": "sbk_costs_complete"}


def _money(string, help_text=None):
    return fields.Monetary(
        string=string,
        currency_field="sbk_company_currency_id",
        readonly=True,
        copy=False,
        groups=COST_GROUPS,
        help=help_text,
    )


def _status(string):
    return fields.Selection(
        COST_STATUSES,
        string=string,
        readonly=True,
        copy=False,
        groups=COST_GROUPS,
        help="Actual: every cost of this dimension is posted; partly actual: some is posted, "
        "some still to come; expected: nothing posted yet.",
    )


def _percent(string, help_text=None):
    return fields.Float(
        string=string,
        digits=(16, 2),
        readonly=True,
        copy=False,
        groups=COST_GROUPS,
        aggregator="avg",
        help=help_text,
    )


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # -- what the trade enters for the costs ---------------------------------------------------

    sbk_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    sbk_freight_estimate = fields.Monetary(
        string="Ocean Freight Estimate",
        currency_field="sbk_company_currency_id",
        help="Ocean freight expected for the order, in company currency: used for quoting and "
        "for the CIF basis until the forwarder's bill is posted.",
    )
    sbk_pricelist_fob_id = fields.Many2one(
        "product.pricelist",
        string="FOB Pricelist",
        check_company=True,
        help="Where the order is not FOB: the pricelist its lines' FOB quotes come from. Left "
        "empty, the FOB price is entered on the line or derived from the order's costs.",
    )
    sbk_pricelist_cif_id = fields.Many2one(
        "product.pricelist",
        string="CIF Pricelist",
        check_company=True,
        help="Where the order is not CIF: the pricelist its lines' CIF quotes come from. Left "
        "empty, the CIF price is entered on the line or derived from the order's costs.",
    )
    sbk_agent_id = fields.Many2one("res.partner", string="Agent", tracking=True, check_company=True)
    sbk_commission_rate = fields.Float(string="Commission Rate (%)", digits=(5, 2))
    sbk_commission_fixed = fields.Monetary(
        string="Fixed Commission", currency_field="sbk_company_currency_id"
    )
    sbk_commission_base = fields.Selection(
        [("invoice", "Invoice Value"), ("fob", "FOB Value")],
        string="Commission Base",
        default="invoice",
        required=True,
    )

    # -- posted costs and profit ----------------------------------------------------------------

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
    sbk_tax_rebate = _money(
        "Export Tax Rebate",
        "The rebate approved or received once the tax office has answered its claim, the "
        "expected rebate before (see the rebate status).",
    )
    sbk_rebate_status = fields.Selection(
        [
            ("expected", "Expected"),
            ("filed", "Filed"),
            ("approved", "Approved"),
            ("received", "Received"),
            ("rejected", "Rejected"),
        ],
        string="Rebate Status",
        default="expected",
        readonly=True,
        copy=False,
        groups=COST_GROUPS,
        help="How far the order's rebate is known: expected from its documents, filed with the "
        "tax office, approved, received or rejected.",
    )
    sbk_rebate_claim_line_ids = fields.One2many(
        "sbk.rebate.claim.line",
        "sale_order_id",
        string="Rebate Claim Lines",
        readonly=True,
        groups=COST_GROUPS,
    )
    sbk_export_date = fields.Date(
        string="Export Date",
        compute="_compute_sbk_export_date",
        groups=COST_GROUPS,
        help="The date of the order's first customs declaration, the order's date until one "
        "exists.",
    )
    sbk_apparent_profit = _money("Apparent Profit", "Revenue minus procurement.")
    sbk_real_profit = _money(
        "Real Profit",
        "Revenue - procurement - freight - customs - insurance - commission - VAT borne + "
        "rebate, from posted documents.",
    )
    sbk_real_margin = _percent("Real Margin (%)")
    sbk_profit_fob = _money("Profit on FOB")
    sbk_profit_cif = _money("Profit on CIF")
    sbk_profit_landed = _money("Landed Profit")
    sbk_fob_revenue = _money(
        "FOB Value",
        "The order's value on the FOB basis: the FOB prices quoted to the buyer (the price "
        "sold where the order is FOB; derived from the costs for lines without a quote).",
    )
    sbk_cif_revenue = _money(
        "CIF Value",
        "The order's value on the CIF basis: the CIF prices quoted to the buyer (the price "
        "sold where the order is CIF; derived from the costs for lines without a quote).",
    )
    sbk_fob_declared = _money(
        "Declared FOB Value",
        "The FOB value of the sale, customs value and rebate basis: the invoice less the "
        "actual international freight and insurance (C- and D-terms); never a quote.",
    )
    sbk_cif_derived = _money(
        "Derived CIF Value", "The order's value with ocean freight and insurance added."
    )
    sbk_better_term = fields.Selection(
        [("fob", "FOB"), ("cif", "CIF"), ("equal", "Same")],
        string="Better Term",
        readonly=True,
        copy=False,
        groups=COST_GROUPS,
        help="The term on which the order would have paid more, from the prices quoted on each.",
    )
    sbk_term_advantage = _money(
        "FOB over CIF",
        "Profit on FOB minus profit on CIF: positive when FOB paid more, negative when CIF did.",
    )
    sbk_cif_ocean_freight = _money(
        "Ocean Freight (CIF basis)", "Posted ocean freight, or the estimate while none is posted."
    )
    sbk_cif_insurance = _money(
        "Insurance (CIF basis)", "Posted insurance, or the premium on the CIF value."
    )
    sbk_commission_fob = _money("Commission (FOB basis)")
    sbk_commission_cif = _money("Commission (CIF basis)")

    # -- settlement ------------------------------------------------------------------------------

    sbk_settlement_id = fields.Many2one(
        "sbk.order.settlement",
        string="Settlement",
        readonly=True,
        copy=False,
        groups=COST_GROUPS,
        help="The cost sheet frozen when the order was settled.",
    )
    sbk_settled = fields.Boolean(
        string="Settled", compute="_compute_sbk_settled", store=True, copy=False
    )
    sbk_settled_real_profit = fields.Monetary(
        string="Settled Real Profit",
        related="sbk_settlement_id.real_profit",
        currency_field="sbk_company_currency_id",
        groups=COST_GROUPS,
    )
    sbk_adjustment_after_settlement = fields.Monetary(
        string="Adjustment after Settlement",
        currency_field="sbk_company_currency_id",
        compute="_compute_sbk_adjustment_after_settlement",
        store=True,
        copy=False,
        groups=COST_GROUPS,
        help="Real profit now minus the settled real profit: what bills or rebates that arrived "
        "after settlement changed.",
    )
    sbk_unsettle_reason = fields.Char(
        string="Reason to Unsettle",
        copy=False,
        groups=COST_GROUPS,
        help="Why a settled order is reopened (required to unsettle; kept in the chatter).",
    )

    # -- expected costs and profit --------------------------------------------------------------

    sbk_expected_procurement = _money(
        "Expected Procurement",
        "Posted procurement plus what is committed: generated purchases still to receive at "
        "their price, goods still to take from stock (deliveries, components) at standard cost.",
    )
    sbk_expected_domestic_freight = _money("Expected Domestic Freight")
    sbk_expected_customs_fee = _money("Expected Customs Fee")
    sbk_expected_ocean_freight = _money(
        "Expected Ocean Freight", "Posted ocean freight, or the order's estimate while none is."
    )
    sbk_expected_insurance = _money(
        "Expected Insurance", "Posted insurance, or the premium on the CIF value while none is."
    )
    sbk_expected_commission = _money("Expected Commission")
    sbk_expected_vat_borne = _money("Expected VAT Borne")
    sbk_expected_tax_rebate = _money("Expected Export Tax Rebate")
    sbk_procurement_status = _status("Procurement Status")
    sbk_domestic_freight_status = _status("Domestic Freight Status")
    sbk_customs_fee_status = _status("Customs Fee Status")
    sbk_ocean_freight_status = _status("Ocean Freight Status")
    sbk_insurance_status = _status("Insurance Status")
    sbk_commission_status = _status("Commission Status")
    sbk_vat_borne_status = _status("VAT Borne Status")
    sbk_tax_rebate_status = _status("Export Tax Rebate Status")
    sbk_expected_profit = _money(
        "Expected Profit",
        "Revenue less the expected costs plus the expected rebate: the real profit once every "
        "cost has arrived.",
    )
    sbk_expected_margin = _percent("Expected Margin (%)")
    sbk_cost_completeness = _percent(
        "Costs Posted (%)", "Share of the expected cost that is posted; 100 when every cost is."
    )
    sbk_costs_complete = fields.Boolean(
        string="Costs Complete",
        readonly=True,
        copy=False,
        groups=COST_GROUPS,
        help="Every cost dimension is actual: the real profit is final.",
    )

    # -- the computation itself -------------------------------------------------------------

    sbk_cost_warning = fields.Text(
        string="Cost Warnings", readonly=True, copy=False, groups=COST_GROUPS
    )
    sbk_cost_date = fields.Datetime(
        string="Costs Computed On", readonly=True, copy=False, groups=COST_GROUPS
    )
    sbk_cost_state = fields.Selection(
        [("done", "Up to Date"), ("pending", "Recompute Pending"), ("failed", "Recompute Failed")],
        string="Cost Recompute",
        default="done",
        readonly=True,
        copy=False,
        index=True,
        groups=COST_GROUPS,
        help="Pending: a change of the order's documents is waiting to be counted (a few "
        "seconds). Failed: the figures could not be recomputed; they are those of the date "
        "shown until the cause is fixed and they are recomputed.",
    )
    sbk_cost_error = fields.Text(
        string="Recompute Error", readonly=True, copy=False, groups=COST_GROUPS
    )

    @api.constrains("sbk_commission_rate", "sbk_commission_fixed")
    def _check_sbk_commission(self):
        for order in self:
            if not 0.0 <= order.sbk_commission_rate <= 100.0:
                raise ValidationError(
                    self.env._("The commission rate must be between 0 and 100 %.")
                )
            if order.sbk_commission_fixed < 0.0:
                raise ValidationError(self.env._("The fixed commission cannot be negative."))

    def _read_group_select(self, aggregate_spec, query):
        # The margin of a group of orders is its profit over its revenue, not an average of
        # the orders' margins; its completeness, its posted over its expected costs. The real
        # profit and margin of a group count its orders whose costs are complete only.
        fname, _sep, func = aggregate_spec.partition(":")
        if fname in RATIO_FIELDS and func in ("avg", "sum"):
            return ratio_of_sums_sql(self, query, *RATIO_FIELDS[fname])
        if fname in CONDITIONAL_FIELDS and func in ("sum", "avg", "min", "max"):
            column = only_if_sql(self, query, fname, CONDITIONAL_FIELDS[fname])
            return READ_GROUP_AGGREGATE[func](self._table, column)
        return super()._read_group_select(aggregate_spec, query)

    # -- triggers ----------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The lines created with the orders recompute nothing: the orders do, once.
        orders = super(SaleOrder, self.with_context(sbk_skip_cost_recompute=True)).create(vals_list)
        orders = orders.with_env(self.env)
        orders._sbk_update_costs(sharing=orders.browse())
        return orders

    def write(self, vals):
        if "sbk_settlement_id" in vals and not self.env.context.get("sbk_settling"):
            raise UserError(
                self.env._("An order is settled and unsettled by its buttons, not by a write.")
            )
        if not TRIGGER_FIELDS.intersection(vals) or self.env.context.get("sbk_skip_cost_recompute"):
            return super().write(vals)
        result = super(SaleOrder, self.with_context(sbk_skip_cost_recompute=True)).write(vals)
        self._sbk_update_costs()
        return result

    def unlink(self):
        sharing = self._sbk_with_sharing_orders() - self
        result = super().unlink()
        sharing._sbk_update_costs(sharing=sharing.browse())
        return result

    def action_confirm(self):
        # Confirming creates the deliveries, manufacturing orders and purchases the expected
        # cost rests on: recompute once they exist, not at each step.
        result = super(SaleOrder, self.with_context(sbk_skip_cost_recompute=True)).action_confirm()
        self._sbk_update_costs()
        return result

    def _action_cancel(self):
        # Cancelling cancels the deliveries and generated documents: recompute once, after.
        result = super(SaleOrder, self.with_context(sbk_skip_cost_recompute=True))._action_cancel()
        self._sbk_update_costs()
        return result

    # -- actions -------------------------------------------------------------------------------

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

    def _compute_sbk_export_date(self):
        export_dates = self._sbk_get_export_dates()
        for order in self:
            order.sbk_export_date = export_dates.get(order.id)

    @api.depends("sbk_settlement_id")
    def _compute_sbk_settled(self):
        for order in self:
            order.sbk_settled = bool(order.sudo().sbk_settlement_id)

    @api.depends("sbk_real_profit", "sbk_settlement_id.real_profit")
    def _compute_sbk_adjustment_after_settlement(self):
        for order in self:
            settlement = order.sbk_settlement_id
            order.sbk_adjustment_after_settlement = (
                order.sbk_company_currency_id.round(order.sbk_real_profit - settlement.real_profit)
                if settlement
                else 0.0
            )

    def action_sbk_settle(self):
        """Settle delivered, invoiced and cleared export orders: their cost sheets are frozen
        (lines, totals and the printed sheet) and what arrives afterwards shows as an
        adjustment beside the settled figures."""
        self._sbk_check_cost_access()
        for order in self:
            order._sbk_check_settleable()
        self._sbk_recompute_costs()
        Settlement = self.env["sbk.order.settlement"].sudo()
        for order in self:
            # Superuser: the cost sheet rests on documents the settling user may not read.
            settlement = Settlement.create(Settlement._sbk_prepare_vals(order.sudo()))
            settlement._sbk_attach_cost_sheet()
            order.sudo().with_context(sbk_settling=True).write(
                {"sbk_settlement_id": settlement.id, "sbk_unsettle_reason": False}
            )
            order.message_post(
                body=self.env._(
                    "Settled: real profit %(profit)s.",
                    profit=settlement.real_profit,
                ),
                attachment_ids=settlement.attachment_id.ids,
            )
        return True

    def _sbk_check_settleable(self):
        self.ensure_one()
        if self.sbk_trade_type != "export" or self.state != "sale":
            raise UserError(
                self.env._("%s is not a confirmed export order: only those are settled.", self.name)
            )
        if self.sudo().sbk_settlement_id:
            raise UserError(self.env._("%s is settled already.", self.name))
        # Superuser: the milestones rest on purchases and shipments a manager may not read.
        reached = self.sudo()._sbk_get_milestones_reached()
        missing = [
            label
            for key, label in (
                ("loaded", self.env._("delivered")),
                ("invoiced", self.env._("invoiced")),
                ("cleared", self.env._("cleared by customs")),
            )
            if not reached.get(key)
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(order)s cannot be settled before it is %(missing)s.",
                    order=self.name,
                    missing=", ".join(missing),
                )
            )

    def action_sbk_unsettle(self):
        """Reopen settled orders (trade managers only, with a reason, kept in the chatter)."""
        if not self.env.su and not self.env.user.has_group("sbk_trade.group_sbk_trade_manager"):
            raise AccessError(self.env._("Only a trade manager can unsettle an order."))
        for order in self:
            if not order.sudo().sbk_settlement_id:
                raise UserError(self.env._("%s is not settled.", order.name))
            reason = order.sudo().sbk_unsettle_reason
            if not reason:
                raise UserError(
                    self.env._("Enter the reason to unsettle %s before unsettling it.", order.name)
                )
            settlement = order.sudo().sbk_settlement_id
            settlement.active = False
            order.sudo().with_context(sbk_settling=True).write(
                {"sbk_settlement_id": False, "sbk_unsettle_reason": False}
            )
            order.message_post(
                body=self.env._(
                    "Unsettled by %(user)s: %(reason)s (settled real profit was %(profit)s).",
                    user=self.env.user.name,
                    reason=reason,
                    profit=settlement.real_profit,
                )
            )
        return True

    def _sbk_check_cost_access(self):
        """The rule for every view of an order's costs (cost sheet, XLSX, profit analysis): a
        cost group, and read access to the order itself."""
        if not self.env.su and not any(
            self.env.user.has_group(group) for group in COST_GROUPS.split(",")
        ):
            raise AccessError(
                self.env._(
                    "Only trade managers and accounting can see an order's costs and profit."
                )
            )
        self.check_access("read")

    def _sbk_get_freight_and_insurance(self, amount, amount_fob):
        """The difference between invoice and FOB value shared between freight and insurance as
        the orders' CIF basis carries them: the posted ocean freight and insurance, else the
        estimate and the premium by the formula."""
        # Superuser: the figures rest on bills the trade user printing a document may not read.
        orders = self.sudo()
        freight, insurance = amount - amount_fob, 0.0
        if orders:
            freight, insurance = split_freight_insurance(
                amount - amount_fob,
                sum(orders.mapped("sbk_cif_ocean_freight")),
                sum(orders.mapped("sbk_cif_insurance")),
                orders.currency_id[:1].decimal_places or 2,
            )
        return freight, insurance

    def _sbk_get_cost_breakdown(self):
        """Each dimension of the order, for the cost sheets: ``label``, ``posted``,
        ``expected``, ``status`` and ``status_label``."""
        self.ensure_one()
        labels = dict(
            self.env["sbk.order.cost"]._fields["dimension"]._description_selection(self.env)
        )
        statuses = dict(self._fields["sbk_procurement_status"]._description_selection(self.env))
        return [
            {
                "dimension": dimension,
                "label": labels[dimension],
                "posted": self[actual],
                "expected": self[expected],
                "status": self[status],
                "status_label": statuses.get(self[status], ""),
            }
            for dimension, (actual, expected, status) in DIMENSION_FIELDS.items()
        ]

    def _sbk_cost_sheets_xlsx(self):
        """The cost sheets of these orders as XLSX bytes (see ``CostSheetWorkbook``)."""
        self._sbk_check_cost_access()
        return CostSheetWorkbook(self).render()

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

    def _sbk_update_costs(self, sharing=None):
        """Bring these orders' figures up to date after a change of their documents, without
        ever failing the operation that changed them (posting, validating, confirming,
        cancelling).

        ``sharing``: the orders whose revenue or quantities changed (all of ``self`` by
        default): the orders sharing a posted cost with them are recomputed too. The recompute
        runs at once in a savepoint; when it fails, the savepoint is rolled back, the orders
        are marked pending with the error and the cron retries them in a transaction of its
        own. With the context key ``sbk_defer_cost_recompute`` the orders are only marked.
        """
        if not self or self.env.context.get("sbk_skip_cost_recompute"):
            return
        # Superuser: the figures are recomputed on behalf of whoever posts a bill, validates a
        # delivery or edits an order, from documents that person may not read.
        orders = self.sudo()
        sharing = orders if sharing is None else sharing.sudo()
        if self.env.context.get("sbk_defer_cost_recompute"):
            (orders | sharing._sbk_with_sharing_orders())._sbk_mark_cost_pending()
            return
        error = orders._sbk_try_recompute(sharing)
        if error:
            orders._sbk_mark_cost_pending(error)
        else:
            orders._sbk_forget_computed_values()

    def _sbk_forget_computed_values(self):
        """Drop the values of non-stored computed fields the recompute left in the cache.

        The recompute may run in the middle of the caller's operation (a delivery validated
        within a picking's validation): leave it no value read before the operation ends, such
        as an order's manufacturing orders while more are created. Stored fields stay cached:
        the ORM keeps them current, and the caller may rely on them as it holds them (the order
        of an order's deliveries as they were created, say).
        """
        self.env.flush_all()
        self.env.cache.invalidate(
            [(field, None) for field in self.env.registry.field_computed if not field.store]
        )

    def _sbk_try_recompute(self, sharing=None):
        """Recompute these orders (and those sharing costs with ``sharing``) in a savepoint;
        return the exception it raised, after rolling it back, or ``None``."""
        self.env.flush_all()
        try:
            # Not Odoo's flushing savepoint: it would run the pre-commit hooks (the chatter's
            # tracking) in the middle of the caller's operation.
            with self.env.cr.savepoint(flush=False):
                orders = self | sharing._sbk_with_sharing_orders() if sharing else self
                orders._sbk_recompute_costs()
                self.env.flush_all()
        except Exception as error:  # cost code must never fail the caller's operation
            # The cache may hold what the rollback undid.
            self.env.transaction.clear()
            _logger.warning("Landed costs of orders %s not recomputed", self.ids, exc_info=True)
            return error
        return None

    def _sbk_mark_cost_pending(self, error=None):
        """Leave the recompute of these orders to the cron (within seconds)."""
        self.sudo().write(
            {
                "sbk_cost_state": "pending",
                "sbk_cost_error": error and self._sbk_describe_error(error) or False,
            }
        )
        self.env.ref("sbk_landed_cost.ir_cron_sbk_recompute_costs").sudo()._trigger()

    def _sbk_describe_error(self, error):
        message = getattr(error, "args", None) and str(error.args[0]) or str(error)
        return f"{type(error).__name__}: {message}"

    @api.model
    def _cron_sbk_recompute_costs(self, batch_size=200):
        """Recompute the orders marked pending, one batch per transaction. A batch that fails
        is retried order by order; an order that fails again is marked failed with the error
        and waits for its next change or a manual recompute."""
        orders = self.sudo().search([("sbk_cost_state", "=", "pending")], order="id")
        for start in range(0, len(orders), batch_size):
            batch = orders[start : start + batch_size]
            if batch._sbk_try_recompute():
                for order in batch:
                    error = order._sbk_try_recompute()
                    if error:
                        order.write(
                            {
                                "sbk_cost_state": "failed",
                                "sbk_cost_error": self._sbk_describe_error(error),
                            }
                        )
            self._sbk_commit_progress()
        self.env["ir.cron"]._notify_progress(done=len(orders), remaining=0)

    def _sbk_commit_progress(self):
        """Commit after each batch, as Odoo's crons do; tests run in one transaction."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _sbk_recompute_costs(self):
        """Rebuild the cost lines and the figures of these orders from their documents.

        Raises on error: callers in a user's operation go through ``_sbk_update_costs``.
        Works on the whole recordset: a constant number of queries for the batch, plus the
        batched inserts of the cost lines and updates of the orders.
        """
        if not self or self.env.context.get("sbk_skip_cost_recompute"):
            return
        # Superuser: the figures rest on documents the caller may not read (valuation,
        # purchases, other orders sharing a bill). Nothing here comes from the caller.
        orders = self.sudo().exists()
        for company in orders.company_id:
            company_orders = orders.filtered(lambda o, c=company: o.company_id == c)
            company_orders.with_company(company)._sbk_recompute_company_costs()

    def _sbk_recompute_company_costs(self):
        cost_vals, order_vals = OrderCostBuilder(self).build()
        self.env["sbk.order.cost"]._sbk_replace(self, cost_vals)
        for order in self:
            vals = order_vals[order.id]
            vals.update(sbk_cost_state="done", sbk_cost_error=False)
            order.write(vals)
