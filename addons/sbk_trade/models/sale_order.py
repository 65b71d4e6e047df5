from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    sbk_freight_estimate = fields.Monetary(
        string="Ocean Freight Estimate",
        currency_field="sbk_company_currency_id",
        help="Ocean freight expected for the order, in company currency: used for quoting and "
        "for the CIF basis until the forwarder's bill is posted.",
    )
    sbk_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
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

    @api.depends("partner_id.country_id", "company_id.country_id")
    def _compute_sbk_trade_type(self):
        for order in self:
            customer_country = order.partner_id.commercial_partner_id.country_id
            company_country = order.company_id.country_id
            is_abroad = customer_country and company_country and customer_country != company_country
            order.sbk_trade_type = "export" if is_abroad else "domestic"

    @api.constrains("sbk_commission_rate", "sbk_commission_fixed")
    def _check_sbk_commission(self):
        for order in self:
            if not 0.0 <= order.sbk_commission_rate <= 100.0:
                raise ValidationError(
                    self.env._("The commission rate must be between 0 and 100 %.")
                )
            if order.sbk_commission_fixed < 0.0:
                raise ValidationError(self.env._("The fixed commission cannot be negative."))
