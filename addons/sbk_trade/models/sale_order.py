from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.lead_time import lead_time_risk
from .supply_planner import SupplyPlanner

MILESTONES = [
    ("quotation", "Quotation"),
    ("signed", "Contract Signed"),
    ("materials_ordered", "Materials Ordered"),
    ("materials_received", "Materials Received"),
    ("in_production", "In Production"),
    ("produced", "Produced"),
    ("reserved", "Stock Reserved"),
    ("loaded", "Loaded"),
    ("cleared", "Customs Cleared"),
    ("invoiced", "Invoiced"),
]

RISK_LEVELS = [("none", "On Time"), ("at_risk", "At Risk"), ("late", "Late")]


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
    sbk_port_of_loading = fields.Char(string="Port of Loading", tracking=True)
    sbk_port_of_discharge = fields.Char(string="Port of Discharge", tracking=True)
    sbk_etd = fields.Date(
        string="ETD", tracking=True, help="Estimated time of departure of the vessel."
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
    sbk_production_finish = fields.Datetime(
        string="Production Finish",
        compute="_compute_sbk_lead_time_risk",
        store=True,
        help="Latest planned (or MES-reported) finish of the order's manufacturing orders.",
    )
    sbk_lead_time_risk = fields.Selection(
        RISK_LEVELS,
        string="Lead-Time Risk",
        compute="_compute_sbk_lead_time_risk",
        store=True,
        default="none",
        tracking=True,
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
        MILESTONES, string="Milestone", compute="_compute_sbk_milestone"
    )

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
        "sbk_etd",
        "company_id.sbk_shipping_buffer_days",
        "sbk_production_ids.date_finished",
        "sbk_production_ids.state",
    )
    def _compute_sbk_lead_time_risk(self):
        for order in self:
            productions = order.sbk_production_ids.filtered(lambda p: p.state != "cancel")
            finish = max(productions.mapped("date_finished"), default=False)
            order.sbk_production_finish = finish
            order.sbk_lead_time_risk = lead_time_risk(
                finish and finish.date(),
                order.sbk_etd,
                order.company_id.sbk_shipping_buffer_days,
            )

    def _compute_mrp_production_ids(self):
        # Sub-assembly MOs are linked to their parent MO, not to the order's procurement group:
        # count every MO the order's planning created.
        result = super()._compute_mrp_production_ids()
        for order in self:
            if order.sbk_production_ids:
                order.mrp_production_ids |= order.sbk_production_ids
                order.mrp_production_count = len(order.mrp_production_ids)
        return result

    def _compute_sbk_milestone(self):
        for order in self:
            # Milestones summarise documents (MOs, RFQs, receipts) a salesperson may not be
            # allowed to open; only their states are read.
            reached = order.sudo()._sbk_get_milestones_reached()
            current = "quotation"
            for key, _label in MILESTONES[1:]:
                if not reached.get(key, True):
                    break
                current = key
            order.sbk_milestone = current

    def _sbk_get_milestones_reached(self):
        """{milestone: reached}, a milestone that does not apply counting as reached.

        Later milestones (loading, clearance) are added by the modules that own them.
        """
        self.ensure_one()
        purchases = self.sbk_purchase_order_ids
        productions = self.mrp_production_ids.filtered(lambda p: p.state != "cancel")
        deliveries = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )
        purchase_lines = purchases.order_line.filtered(lambda line: not line.display_type)
        shipments = self.sbk_shipment_ids.filtered(lambda s: s.state != "cancel")
        return {
            "signed": self.state == "sale",
            "materials_ordered": all(p.state in ("purchase", "done") for p in purchases),
            "materials_received": all(
                line.qty_received >= line.product_qty for line in purchase_lines
            ),
            "in_production": not productions
            or any(p.state in ("progress", "to_close", "done") for p in productions),
            "produced": all(p.state == "done" for p in productions),
            "reserved": bool(deliveries)
            and all(p.state in ("assigned", "done") for p in deliveries),
            "loaded": bool(deliveries) and all(p.state == "done" for p in deliveries),
            "cleared": bool(shipments) and all(s.state == "cleared" for s in shipments),
            "invoiced": self.invoice_status == "invoiced",
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
