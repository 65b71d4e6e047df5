from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.lead_time import days_to, lead_time_status
from ..tools.notes import html_list
from .lead_time_risk import LeadTimeEvaluation, follow_risk_changes
from .supply_planner import SupplyPlanner

MILESTONES = [
    ("signed", "Signed"),
    ("production", "In Production"),
    ("ready", "Goods Ready"),
    ("loaded", "Loaded"),
    ("cleared", "Cleared"),
    ("invoiced", "Invoiced"),
    ("paid", "Paid"),
]
# What each milestone needs, on top of the ones before it (see _sbk_get_milestones_reached).
MILESTONE_CONDITIONS = {
    "signed": (),
    "production": ("production",),
    "ready": ("produced", "reserved"),
    "loaded": ("loaded",),
    "cleared": ("cleared",),
    "invoiced": ("invoiced",),
    "paid": ("paid",),
}

# 'none' is also the risk of an order without an ETD (docs/trade-formulas.md): its label does
# not say "on time"; sbk_lead_time_status tells "no ETD" from "on time".
RISK_LEVELS = [("none", "No Risk"), ("at_risk", "At Risk"), ("late", "Late")]
LEAD_TIME_STATUSES = [
    ("no_etd", "No ETD"),
    ("on_time", "On Time"),
    ("at_risk", "At Risk"),
    ("late", "Late"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    sbk_trade_type = fields.Selection(
        [("export", "Export"), ("domestic", "Domestic")],
        string="Trade Type",
        compute="_compute_sbk_trade_type",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="Export when the customer's country differs from the company's; change it "
        "when the goods go abroad through a domestic buyer or the other way round.",
    )
    sbk_taxed_export = fields.Boolean(
        string="Taxed Export",
        compute="_compute_sbk_taxed_export",
        store=True,
        help="Some goods of the order are exported under the taxed regime (no rebate; output "
        "VAT applies and is out of the cost sheet's scope).",
    )
    sbk_port_of_loading = fields.Char(string="Port of Loading", tracking=True)
    sbk_port_of_discharge = fields.Char(string="Port of Discharge", tracking=True)
    sbk_etd = fields.Date(
        string="ETD", tracking=True, help="Estimated time of departure of the vessel."
    )
    sbk_notify_partner_id = fields.Many2one(
        "res.partner", string="Notify Party", help="Printed on the export documents."
    )
    sbk_shipping_marks = fields.Text(
        string="Shipping Marks",
        help="The marks the buyer wants on the cartons. Left empty, the documents print the "
        "buyer, the order number, the port of discharge and the carton numbers.",
    )

    @api.depends("partner_id.country_id", "company_id.country_id")
    def _compute_sbk_trade_type(self):
        for order in self:
            customer_country = order.partner_id.commercial_partner_id.country_id
            company_country = order.company_id.country_id
            is_abroad = customer_country and company_country and customer_country != company_country
            order.sbk_trade_type = "export" if is_abroad else "domestic"

    # Order -> production (issue: contract runs the domestic chain by itself)
    sbk_shortage_line_ids = fields.One2many(
        "sbk.shortage.line", "sale_order_id", string="Shortage List", copy=False
    )
    sbk_production_ids = fields.One2many(
        "mrp.production", "sbk_sale_order_id", string="Planned Productions", copy=False
    )
    sbk_purchase_order_ids = fields.Many2many(
        "purchase.order",
        compute="_compute_sbk_purchase_order_ids",
        string="Generated Purchase Orders",
    )
    sbk_purchase_count = fields.Integer(compute="_compute_sbk_purchase_order_ids")
    sbk_shortage_count = fields.Integer(compute="_compute_sbk_shortage_count")
    sbk_purchase_line_ids = fields.One2many(
        "purchase.order.line",
        "sbk_sale_order_id",
        string="Generated Purchase Lines",
        copy=False,
        groups="purchase.group_purchase_user",
    )
    sbk_production_finish = fields.Datetime(
        string="Production Finish",
        compute="_compute_sbk_lead_time_risk",
        store=True,
        help="Latest planned (or MES-reported) finish of the order's manufacturing orders.",
    )
    sbk_expected_finish = fields.Date(
        string="Expected Finish",
        compute="_compute_sbk_lead_time_risk",
        store=True,
        help="When the order's manufacturing orders are now expected to be done: their "
        "planned (or MES-reported) finish, later when a purchase or sub-assembly they wait "
        "for is due after their planned start, or when a planned date has passed.",
    )
    sbk_lead_time_risk = fields.Selection(
        RISK_LEVELS,
        string="Lead-Time Risk",
        compute="_compute_sbk_lead_time_risk",
        store=True,
        default="none",
        tracking=True,
        index=True,
    )
    sbk_lead_time_status = fields.Selection(
        LEAD_TIME_STATUSES,
        string="Lead Time",
        compute="_compute_sbk_lead_time_status",
        store=True,
        group_expand=True,
        help="The lead-time risk as read against the ETD: No ETD when there is none to "
        "measure against.",
    )
    sbk_lead_time_note = fields.Html(
        string="Why at Risk",
        compute="_compute_sbk_lead_time_note",
        sanitize=False,
        help="Which manufacturing order or purchase makes the order late, and by how much.",
    )
    sbk_days_to_etd = fields.Integer(
        string="Days to ETD",
        compute="_compute_sbk_days_to_etd",
        help="Days left until the ETD; negative once it has passed.",
    )
    sbk_shipment_ids = fields.Many2many(
        "sbk.shipment", compute="_compute_sbk_shipment_ids", string="Shipments"
    )
    sbk_shipment_count = fields.Integer(compute="_compute_sbk_shipment_ids")
    sbk_declaration_count = fields.Integer(compute="_compute_sbk_shipment_ids")
    sbk_receipt_ids = fields.Many2many(
        "stock.picking", compute="_compute_sbk_shipment_ids", string="Purchase Receipts"
    )
    sbk_receipt_count = fields.Integer(compute="_compute_sbk_shipment_ids")
    sbk_milestone = fields.Selection(
        MILESTONES,
        string="Milestone",
        compute="_compute_sbk_milestone",
        store=True,
        index=True,
        tracking=True,
        group_expand=True,
        help="How far a confirmed export order has come, kept current by its documents: "
        "MOs and purchases, deliveries, shipments and declarations, invoices and payments.",
    )

    @api.depends("order_line.sbk_taxed_export")
    def _compute_sbk_taxed_export(self):
        for order in self:
            order.sbk_taxed_export = any(order.order_line.mapped("sbk_taxed_export"))

    @api.depends("sbk_shortage_line_ids.purchase_order_id")
    def _compute_sbk_purchase_order_ids(self):
        # A salesperson sees which RFQs exist for the contract even without purchase rights;
        # opening them still checks the user's rights.
        purchases = dict(
            self.env["purchase.order"]
            .sudo()
            ._read_group(
                [("sbk_sale_order_id", "in", self.ids), ("state", "!=", "cancel")],
                ["sbk_sale_order_id"],
                ["id:recordset"],
            )
        )
        for order in self:
            order.sbk_purchase_order_ids = purchases.get(order, self.env["purchase.order"])
            order.sbk_purchase_count = len(order.sbk_purchase_order_ids)

    def _compute_sbk_shortage_count(self):
        counts = dict(
            self.env["sbk.shortage.line"]._read_group(
                [("sale_order_id", "in", self.ids), ("shortage_qty", ">", 0)],
                ["sale_order_id"],
                ["__count"],
            )
        )
        for order in self:
            order.sbk_shortage_count = counts.get(order, 0)

    @api.depends(
        "state",
        "sbk_etd",
        "company_id.sbk_shipping_buffer_days",
        "sbk_production_ids.date_start",
        "sbk_production_ids.date_finished",
        "sbk_production_ids.state",
        "sbk_production_ids.move_raw_ids.product_id",
        "sbk_purchase_line_ids.date_planned",
        "sbk_purchase_line_ids.product_qty",
        "sbk_purchase_line_ids.qty_received",
        "sbk_purchase_line_ids.state",
    )
    def _compute_sbk_lead_time_risk(self):
        evaluation = LeadTimeEvaluation(self)
        for order in self:
            order.sbk_production_finish = evaluation.planned_finish(order)
            order.sbk_expected_finish = evaluation.expected_finish(order)
            order.sbk_lead_time_risk = evaluation.risk(order)

    def _compute_field_value(self, field):
        # A risk that rises or falls alerts or stands down the people concerned: the value
        # before the computation is read as mail's tracking reads it.
        risk_field = self._fields["sbk_lead_time_risk"]
        if risk_field not in self.pool.field_computed.get(field, ()):
            return super()._compute_field_value(field)
        before = {order.id: order.sbk_lead_time_risk for order in self if order.id}
        result = super()._compute_field_value(field)
        moved = self.filtered(lambda o: o.id and o.sbk_lead_time_risk != before.get(o.id))
        if moved:
            follow_risk_changes(moved, before)
        return result

    @api.depends("sbk_lead_time_risk", "sbk_etd", "sbk_trade_type")
    def _compute_sbk_lead_time_status(self):
        for order in self:
            order.sbk_lead_time_status = order.sbk_trade_type == "export" and lead_time_status(
                order.sbk_lead_time_risk, order.sbk_etd
            )

    @api.depends("sbk_lead_time_risk", "sbk_etd", "sbk_expected_finish")
    def _compute_sbk_lead_time_note(self):
        at_risk = self.filtered(lambda o: o.id and o.sbk_lead_time_risk != "none")
        evaluation = LeadTimeEvaluation(at_risk) if at_risk else None
        for order in self:
            reasons = evaluation.reasons(order._origin) if order in at_risk else []
            order.sbk_lead_time_note = html_list(None, reasons) if reasons else False

    @api.depends("sbk_etd")
    @api.depends_context("tz")
    def _compute_sbk_days_to_etd(self):
        for order in self:
            order.sbk_days_to_etd = days_to(order.sbk_etd, fields.Date.context_today(order))

    @api.model
    def _cron_sbk_update_lead_time_risk(self):
        """Re-evaluate the lead-time risk of the open export orders: time alone moves it
        (a vendor's date or an MO's planned start passes) without any document changing."""
        orders = self.search(
            [
                ("state", "=", "sale"),
                ("sbk_trade_type", "=", "export"),
                ("sbk_etd", "!=", False),
                ("sbk_milestone", "in", ("signed", "production", "ready")),
            ]
        )
        field = self._fields["sbk_lead_time_risk"]
        self.env.add_to_compute(field, orders)
        orders._recompute_recordset(["sbk_lead_time_risk"])
        return len(orders)

    def _compute_mrp_production_ids(self):
        # Sub-assembly MOs are linked to their parent MO, not to the order's procurement group:
        # count every MO the order's planning created.
        result = super()._compute_mrp_production_ids()
        for order in self:
            if order.sbk_production_ids:
                order.mrp_production_ids |= order.sbk_production_ids
                order.mrp_production_count = len(order.mrp_production_ids)
        return result

    @api.depends(
        "state",
        "sbk_trade_type",
        "invoice_status",
        "sbk_production_ids.state",
        "sbk_purchase_line_ids.state",
        "picking_ids.state",
        "picking_ids.move_ids.state",
        "picking_ids.sbk_shipment_ids.state",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.payment_state",
    )
    def _compute_sbk_milestone(self):
        followed = self.filtered(lambda o: o.state == "sale" and o.sbk_trade_type == "export")
        (self - followed).sbk_milestone = False
        # Milestones summarise documents (MOs, RFQs, deliveries, invoices) a salesperson may
        # not be allowed to open; only their states are read.
        for order in followed.sudo():
            reached = order._sbk_get_milestones_reached()
            current = "signed"
            for milestone, _label in MILESTONES[1:]:
                if not all(reached.get(c, True) for c in MILESTONE_CONDITIONS[milestone]):
                    break
                current = milestone
            order.sbk_milestone = current

    def _sbk_get_milestones_reached(self):
        """{condition: reached} of a confirmed export order, a condition that does not apply
        counting as reached. Each milestone needs its conditions and all earlier milestones
        (MILESTONE_CONDITIONS): ``production`` (an MO started, or with no MO a purchase
        confirmed), ``produced`` and ``reserved`` (goods ready), ``loaded``, ``cleared``,
        ``invoiced``, ``paid``. Modules that hold the goods otherwise (export locks) override
        ``reserved``.
        """
        self.ensure_one()
        productions = self.sbk_production_ids | self.procurement_group_id.mrp_production_ids
        productions = productions.filtered(lambda p: p.state != "cancel")
        purchases = self.sbk_purchase_line_ids.order_id.filtered(lambda p: p.state != "cancel")
        deliveries = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )
        delivery_moves = deliveries.move_ids.filtered(lambda m: m.state != "cancel")
        shipments = deliveries.sbk_shipment_ids.filtered(lambda s: s.state != "cancel")
        invoices = self.order_line.invoice_lines.move_id.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and m.payment_state != "reversed"
            )
        )
        if productions:
            started = any(p.state in ("progress", "to_close", "done") for p in productions)
        else:
            started = not purchases or any(p.state in ("purchase", "done") for p in purchases)
        return {
            "production": started,
            "produced": all(p.state == "done" for p in productions),
            "reserved": bool(delivery_moves)
            and all(m.state in ("assigned", "done") for m in delivery_moves),
            "loaded": bool(deliveries) and all(p.state == "done" for p in deliveries),
            "cleared": bool(shipments) and all(s.state == "cleared" for s in shipments),
            # Odoo counts draft invoices as invoiced; the buyer has one once it is posted.
            "invoiced": self.invoice_status == "invoiced"
            and not self.invoice_ids.filtered(lambda m: m.state == "draft"),
            "paid": bool(invoices)
            and all(m.payment_state in ("paid", "in_payment") for m in invoices),
        }

    # -- planning ------------------------------------------------------------------------

    def _sbk_is_export(self):
        self.ensure_one()
        return self.sbk_trade_type == "export"

    def _sbk_prepare_supply_snapshot(self):
        """Structure of the orders' BOMs and the supply figures, read before Odoo's own
        procurement touches stock (the order's delivery reserves at confirmation)."""
        snapshot = {}
        for order in self:
            # Planning runs on behalf of whoever confirms the contract: a salesperson needs no
            # rights on BOMs, stock figures, MOs or RFQs for the chain to run (Odoo's own
            # procurement creates MOs and POs as superuser for the same reason). Only the
            # order's own lines drive it.
            planner = SupplyPlanner(order.sudo().with_company(order.company_id))
            planner.read_structure_and_supply()
            snapshot[order] = planner
        return snapshot

    def _action_cancel(self):
        generated = self.filtered(lambda o: o.sbk_trade_type == "export")
        result = super()._action_cancel()
        generated._sbk_cancel_generated_documents()
        return result

    def _sbk_cancel_generated_documents(self):
        """Cancel the draft documents planning generated; flag the confirmed ones."""
        purchases = self.env["purchase.order"].search(
            [("sbk_sale_order_id", "in", self.ids), ("state", "!=", "cancel")]
        )
        drafts = purchases.filtered(lambda p: p.state in ("draft", "sent"))
        drafts.button_cancel()
        productions = self.sbk_production_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        draft_productions = productions.filtered(lambda p: p.state == "draft")
        draft_productions.action_cancel()
        for document in [*(purchases - drafts), *(productions - draft_productions)]:
            order = document.sbk_sale_order_id
            document.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=document.user_id.id or order.user_id.id or self.env.uid,
                summary=self.env._("Export order %s cancelled", order.name),
                note=self.env._(
                    "%(order)s was cancelled: this document was generated for it and is already "
                    "confirmed. Cancel it or keep it for stock.",
                    order=order.name,
                ),
            )

    def action_sbk_view_purchase_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("purchase.purchase_rfq")
        action["domain"] = [("id", "in", self.sbk_purchase_order_ids.ids)]
        action["context"] = {"create": False}
        if len(self.sbk_purchase_order_ids) == 1:
            action.update(
                views=[(False, "form")], view_mode="form", res_id=self.sbk_purchase_order_ids.id
            )
        return action

    # -- shipment and clearance ----------------------------------------------------------

    @api.depends("picking_ids.sbk_shipment_ids.declaration_ids.state")
    def _compute_sbk_shipment_ids(self):
        for order in self:
            # Shipments and declarations are summarised for the salesperson like the RFQs.
            order_shipments = order.sudo().picking_ids.sbk_shipment_ids
            order.sbk_shipment_ids = order_shipments
            order.sbk_shipment_count = len(order_shipments)
            order.sbk_declaration_count = len(
                order_shipments.declaration_ids.filtered(lambda d: d.state != "cancel")
            )
            order_receipts = order.sbk_purchase_order_ids.sudo().picking_ids.filtered(
                lambda p: p.picking_type_code == "incoming"
            )
            order.sbk_receipt_ids = order_receipts
            order.sbk_receipt_count = len(order_receipts)

    def action_sbk_create_shipment(self):
        """A shipment of the order's open deliveries not yet on another shipment."""
        self.ensure_one()
        deliveries = self.picking_ids.filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and p.state not in ("draft", "done", "cancel")
                and not p.sbk_shipment_ids.filtered(lambda s: s.state != "cancel")
            )
        )
        if not deliveries:
            raise UserError(
                self.env._(
                    "%s has no open delivery left to ship: every delivery is done or already "
                    "on a shipment.",
                    self.name,
                )
            )
        return deliveries.action_sbk_create_shipment()

    def action_sbk_view_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sbk_trade.action_sbk_shipment")
        action["domain"] = [("sale_order_ids", "in", self.ids)]
        action["context"] = {"create": False}
        if len(self.sbk_shipment_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.sbk_shipment_ids.id)
        return action

    def action_sbk_view_declarations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sbk_trade.action_sbk_customs_declaration"
        )
        action["domain"] = [("shipment_id.sale_order_ids", "in", self.ids)]
        action["context"] = {"create": False}
        return action

    def action_sbk_view_receipts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.sbk_receipt_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_sbk_view_shortage(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sbk_trade.action_sbk_shortage_line")
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"search_default_filter_shortage": 1}
        return action

    def _sbk_get_export_dates(self):
        """{order id: export date}: the date of the order's first customs declaration not
        cancelled, the order's date until one exists. The rebate and VAT rates, and the
        exchange rate of the FOB value, are those of this date."""
        result = {}
        # Superuser: the declarations are read for the dates only, for whoever computes costs.
        for order in self.sudo():
            declarations = order.picking_ids.sbk_shipment_ids.declaration_ids.filtered(
                lambda d: d.state != "cancel" and d.date
            )
            dates = declarations.mapped("date")
            result[order.id] = min(dates) if dates else fields.Date.to_date(order.date_order)
        return result

    def _sbk_get_freight_and_insurance(self, amount, amount_fob):
        """International freight and insurance within ``amount``, the value a commercial
        invoice states for goods of these orders (their currency), whose FOB value (what the
        customs declaration states) is ``amount_fob``: ``(freight, insurance)``.

        Stated apart on documents of C- and D-terms (docs/trade-formulas.md: FOB = invoice -
        freight - insurance). ``sbk_landed_cost`` overrides it with the order's freight and
        insurance; here no such figure is known: the whole difference is freight, no insurance.
        """
        return amount - amount_fob, 0.0
