from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools.trade_documents import states_freight_and_insurance

DECLARATION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("released", "Released"),
    ("cleared", "Cleared"),
    ("cancel", "Cancelled"),
]

# The usual trade modes of a Chinese export declaration (监管方式).
TRADE_MODES = [
    ("0110", "0110 General Trade"),
    ("1039", "1039 Market Procurement"),
    ("0214", "0214 Processing with Supplied Materials"),
    ("0615", "0615 Processing with Imported Materials"),
    ("9610", "9610 Cross-border E-commerce"),
]


# Declared content: fixed once the declaration is submitted (the number too, unless cancelled).
DECLARED_FIELDS = (
    "date",
    "customs_port",
    "trade_mode",
    "incoterm_id",
    "line_ids",
    "amount_freight",
    "amount_insurance",
)


class SbkCustomsDeclaration(models.Model):
    """Export customs declaration of a shipment (报关单), from draft to clearance."""

    _name = "sbk.customs.declaration"
    _description = "Export Customs Declaration"
    _inherit = ["mail.thread", "mail.activity.mixin", "sbk.action.state.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _sbk_action_fields = ("state", "date_submitted", "date_released", "date_cleared")

    name = fields.Char(
        string="Declaration Number",
        copy=False,
        tracking=True,
        index="trigram",
        help="The number customs assigns (18 digits in China); required to submit.",
    )
    shipment_id = fields.Many2one(
        "sbk.shipment", required=True, ondelete="restrict", index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(related="shipment_id.partner_id", string="Buyer")
    sale_order_ids = fields.Many2many(related="shipment_id.sale_order_ids", string="Export Orders")
    date = fields.Date(string="Declaration Date", default=fields.Date.context_today, tracking=True)
    customs_port = fields.Char(tracking=True)
    trade_mode = fields.Selection(TRADE_MODES, default="0110", required=True, tracking=True)
    incoterm_id = fields.Many2one("account.incoterms")
    currency_id = fields.Many2one("res.currency", required=True)
    line_ids = fields.One2many("sbk.customs.declaration.line", "declaration_id", string="Lines")
    amount_fob = fields.Monetary(
        string="FOB Total", compute="_compute_totals", store=True, tracking=True
    )
    total_net_weight = fields.Float(
        string="N.W. (kg)", compute="_compute_totals", store=True, digits=(16, 2)
    )
    states_freight = fields.Boolean(
        string="States Freight and Insurance",
        compute="_compute_states_freight",
        help="C- and D-terms: the invoice includes the main carriage, stated in its own boxes.",
    )
    amount_freight = fields.Monetary(
        string="Freight",
        help="International freight within the invoice total (C- and D-terms).",
    )
    amount_insurance = fields.Monetary(
        string="Insurance", help="Insurance within the invoice total (CIF, CIP, D-terms)."
    )
    amount_invoice = fields.Monetary(
        string="Invoice Total",
        compute="_compute_totals",
        store=True,
        help="The total of the sale: FOB value plus freight and insurance.",
    )
    total_gross_weight = fields.Float(related="shipment_id.total_gross_weight")
    total_cartons = fields.Integer(related="shipment_id.total_cartons")
    state = fields.Selection(
        DECLARATION_STATES, default="draft", required=True, copy=False, tracking=True
    )
    date_submitted = fields.Datetime(copy=False, readonly=True)
    date_released = fields.Datetime(copy=False, readonly=True)
    date_cleared = fields.Datetime(copy=False, readonly=True)

    _sql_constraints = [
        (
            "name_company_unique",
            "unique(name, company_id)",
            "A declaration number is used once per company.",
        )
    ]

    def write(self, vals):
        self._sbk_check_declared(vals)
        return super().write(vals)

    def _sbk_check_declared(self, vals):
        """What was declared stays as declared: once submitted, the content (and, but for a
        cancelled declaration, the number) is fixed; the document it comes from never
        changes."""
        if not self.env.su and {"shipment_id", "company_id", "currency_id"} & set(vals):
            raise UserError(
                self.env._(
                    "A declaration keeps the shipment, company and currency it was made from: "
                    "create another one instead."
                )
            )
        if set(DECLARED_FIELDS) & set(vals):
            self._sbk_raise_declared()
        if "name" in vals:
            self.filtered(lambda d: d.state != "cancel")._sbk_raise_declared()

    def _sbk_raise_declared(self):
        """Refuse a change to declarations that customs has (draft ones pass)."""
        for declaration in self.filtered(lambda d: d.state != "draft"):
            raise UserError(
                self.env._(
                    "%(declaration)s has been submitted to customs (%(state)s): what it "
                    "declares can no longer change. Cancel it and reset it to draft to amend it.",
                    declaration=declaration.display_name,
                    state=declaration._sbk_state_label(),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self.filtered(lambda d: d.state not in ("draft", "cancel"))._sbk_raise_declared()

    @api.depends("line_ids.amount_fob", "line_ids.net_weight", "amount_freight", "amount_insurance")
    def _compute_totals(self):
        for declaration in self:
            declaration.amount_fob = sum(declaration.line_ids.mapped("amount_fob"))
            declaration.total_net_weight = sum(declaration.line_ids.mapped("net_weight"))
            declaration.amount_invoice = (
                declaration.amount_fob + declaration.amount_freight + declaration.amount_insurance
            )

    @api.depends("incoterm_id")
    def _compute_states_freight(self):
        for declaration in self:
            declaration.states_freight = states_freight_and_insurance(declaration.incoterm_id.code)

    @api.depends("name", "shipment_id")
    def _compute_display_name(self):
        for declaration in self:
            declaration.display_name = declaration.name or self.env._(
                "Draft declaration of %s", declaration.shipment_id.name
            )

    # -- building from a shipment ---------------------------------------------------------

    @api.model
    def _sbk_create_from_shipment(self, shipment):
        """The declaration of what ``shipment`` loaded: one line per HS code, in one currency.

        Refused (UserError, nothing created) before the loading is finished, when the shipment
        is declared already, when its orders are in several currencies or when a loaded
        product has no HS code.
        """
        if shipment.state not in ("loaded", "cleared"):
            raise UserError(
                self.env._("Finish loading %s before declaring it to customs.", shipment.name)
            )
        if shipment.declaration_ids:
            raise UserError(
                self.env._(
                    "%(shipment)s already has declaration %(declaration)s.",
                    shipment=shipment.name,
                    declaration=shipment.declaration_ids[:1].display_name,
                )
            )
        currencies = shipment.sale_order_ids.currency_id
        if len(currencies) > 1:
            raise UserError(
                self.env._(
                    "The orders of %(shipment)s are in several currencies (%(currencies)s): a "
                    "declaration has one currency; ship them separately.",
                    shipment=shipment.name,
                    currencies=", ".join(currencies.mapped("name")),
                )
            )
        loaded = shipment.packing_line_ids.filtered(lambda line: line.loaded_qty)
        missing = loaded.product_id.filtered(lambda p: not p.sbk_hs_code_id)
        if missing:
            raise UserError(
                self.env._(
                    "No HS code on %s: set it on the product before declaring.",
                    ", ".join(missing.mapped("display_name")),
                )
            )
        currency = currencies or shipment.company_id.currency_id
        return self.create(self._sbk_prepare_vals_from_shipment(shipment, loaded, currency))

    @api.model
    def _sbk_prepare_vals_from_shipment(self, shipment, loaded_lines, currency):
        by_hs_code = defaultdict(lambda: self.env["sbk.packing.line"])
        for line in loaded_lines:
            by_hs_code[line.product_id.sbk_hs_code_id] |= line
        Line = self.env["sbk.customs.declaration.line"]
        line_commands = [
            Command.create(Line._sbk_prepare_vals_from_packing(lines, hs_code, currency))
            for hs_code, lines in sorted(by_hs_code.items(), key=lambda item: item[0].code)
        ]
        first_order = shipment.sale_order_ids.sorted("id")[:1]
        freight = insurance = 0.0
        if states_freight_and_insurance(first_order.incoterm.code):
            freight, insurance = self._sbk_get_freight_and_insurance(
                shipment.sale_order_ids,
                loaded_lines,
                sum(command[2]["amount_fob"] for command in line_commands),
                currency,
            )
        return {
            "shipment_id": shipment.id,
            "company_id": shipment.company_id.id,
            "currency_id": currency.id,
            "customs_port": shipment.port_of_loading,
            "incoterm_id": first_order.incoterm.id,
            "line_ids": line_commands,
            "amount_freight": freight,
            "amount_insurance": insurance,
        }

    @api.model
    def _sbk_get_freight_and_insurance(self, orders, loaded_lines, amount_fob, currency):
        """``(freight, insurance)`` within the invoice value of ``loaded_lines`` (net unit
        prices x loaded quantities) whose FOB value is ``amount_fob``: the boxes a declaration on
        C- and D-terms states beside the FOB value."""
        amount = currency.round(
            sum(
                line.move_id.sale_line_id.product_uom._compute_price(
                    line.move_id.sale_line_id.price_reduce_taxexcl, line.product_id.uom_id
                )
                * line.loaded_qty
                for line in loaded_lines
            )
        )
        freight, insurance = orders._sbk_get_freight_and_insurance(amount, amount_fob)
        freight, insurance = currency.round(freight), currency.round(insurance)
        # Freight takes what rounding leaves, so that invoice = FOB + freight + insurance.
        return currency.round(amount - amount_fob - insurance), insurance

    # -- customs' answers ---------------------------------------------------------------

    def _sbk_check_state(self, expected, target):
        for declaration in self:
            if declaration.state != expected:
                raise UserError(
                    self.env._(
                        "%(declaration)s is %(state)s: only a %(expected)s declaration can become "
                        "%(target)s.",
                        declaration=declaration.display_name,
                        state=declaration._sbk_state_label(),
                        expected=declaration._sbk_state_label(expected),
                        target=declaration._sbk_state_label(target),
                    )
                )

    def action_submit(self):
        self._sbk_check_state("draft", "submitted")
        for declaration in self:
            if not declaration.name:
                raise UserError(
                    self.env._("Enter the declaration number customs assigned before submitting.")
                )
            if not declaration.line_ids:
                raise UserError(self.env._("A declaration without lines cannot be submitted."))
        self._sbk_write_by_action({"state": "submitted", "date_submitted": fields.Datetime.now()})

    def action_release(self):
        self._sbk_check_state("submitted", "released")
        self._sbk_write_by_action({"state": "released", "date_released": fields.Datetime.now()})

    def action_clear(self):
        self._sbk_check_state("released", "cleared")
        self._sbk_write_by_action({"state": "cleared", "date_cleared": fields.Datetime.now()})
        self.shipment_id._sbk_update_cleared()

    def action_cancel(self):
        for declaration in self:
            if declaration.state == "cleared":
                raise UserError(
                    self.env._("%s is cleared: customs must amend it.", declaration.display_name)
                )
        self._sbk_write_by_action({"state": "cancel"})

    def action_draft(self):
        self._sbk_check_state("cancel", "draft")
        self._sbk_write_by_action(
            {"state": "draft", "date_submitted": False, "date_released": False}
        )

    def action_export_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/sbk_trade/declaration/{self.id}/lines.xlsx",
            "target": "self",
        }

    def action_view_attachments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("base.action_attachment")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"default_res_model": self._name, "default_res_id": self.id}
        return action

    def action_view_shipment(self):
        self.ensure_one()
        return self.shipment_id.get_formview_action()
