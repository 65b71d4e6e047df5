from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.xlsx import build_workbook

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


class SbkCustomsDeclaration(models.Model):
    """Export customs declaration of a shipment (报关单), from draft to clearance."""

    _name = "sbk.customs.declaration"
    _description = "Export Customs Declaration"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

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

    @api.depends("line_ids.amount_fob", "line_ids.net_weight")
    def _compute_totals(self):
        for declaration in self:
            declaration.amount_fob = sum(declaration.line_ids.mapped("amount_fob"))
            declaration.total_net_weight = sum(declaration.line_ids.mapped("net_weight"))

    @api.depends("name", "shipment_id")
    def _compute_display_name(self):
        for declaration in self:
            declaration.display_name = declaration.name or self.env._(
                "Draft declaration of %s", declaration.shipment_id.name
            )

    def _sbk_check_state(self, expected, target):
        for declaration in self:
            if declaration.state != expected:
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(declaration)s is %(state)s: only a %(expected)s declaration can become "
                        "%(target)s.",
                        declaration=declaration.display_name,
                        state=states[declaration.state],
                        expected=states[expected],
                        target=states[target],
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
        self.write({"state": "submitted", "date_submitted": fields.Datetime.now()})

    def action_release(self):
        self._sbk_check_state("submitted", "released")
        self.write({"state": "released", "date_released": fields.Datetime.now()})

    def action_clear(self):
        self._sbk_check_state("released", "cleared")
        self.write({"state": "cleared", "date_cleared": fields.Datetime.now()})
        self.shipment_id._sbk_update_cleared()

    def action_cancel(self):
        for declaration in self:
            if declaration.state == "cleared":
                raise UserError(
                    self.env._("%s is cleared: customs must amend it.", declaration.display_name)
                )
        self.write({"state": "cancel"})

    def action_draft(self):
        self._sbk_check_state("cancel", "draft")
        self.write({"state": "draft", "date_submitted": False, "date_released": False})

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

    def _sbk_lines_xlsx(self):
        """The declaration's lines for the customs broker's software (one row per HS code)."""
        self.ensure_one()
        columns = [
            ("No.\n项号", 6, "0"),
            ("HS Code\n商品编号", 14, None),
            ("Goods Name\n商品名称", 28, None),
            ("Declaration Elements\n申报要素", 36, None),
            ("Quantity\n数量", 12, "0.##"),
            ("Unit\n单位", 8, None),
            ("N.W. (kg)\n净重", 12, "0.00"),
            ("Currency\n币制", 8, None),
            ("FOB Value\n总价", 14, "#,##0.00"),
            ("Origin\n原产国", 10, None),
        ]
        rows = [
            [
                index,
                line.hs_code_id.code,
                line.goods_name,
                line.declaration_elements or "",
                line.quantity,
                line.uom_id.name or "",
                line.net_weight,
                self.currency_id.name,
                line.amount_fob,
                line.origin_country_id.code or "",
            ]
            for index, line in enumerate(self.line_ids, start=1)
        ]
        total = [
            "",
            "",
            "TOTAL 合计",
            "",
            sum(self.line_ids.mapped("quantity")),
            "",
            self.total_net_weight,
            self.currency_id.name,
            self.amount_fob,
            "",
        ]
        header = [
            ("Declaration No. 报关单号", self.name or ""),
            ("Date 申报日期", self.date and self.date.isoformat()),
            ("Customs Port 出境关别", self.customs_port),
            (
                "Trade Mode 监管方式",
                dict(self._fields["trade_mode"].selection).get(self.trade_mode),
            ),
            ("Incoterm 成交方式", self.incoterm_id.code),
            ("Shipment 出运", self.shipment_id.name),
        ]
        return build_workbook(self.name or "Declaration", header, columns, rows, total)
