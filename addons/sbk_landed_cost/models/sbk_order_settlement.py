from odoo import Command, api, fields, models

from .sbk_order_cost import DIMENSIONS


def _money(string):
    return fields.Monetary(string=string, readonly=True)


class SbkOrderSettlement(models.Model):
    """An export order's cost sheet frozen at settlement: its lines and totals as they were, with
    the printed sheet attached. What arrives afterwards shows on the order as an adjustment,
    never here."""

    _name = "sbk.order.settlement"
    _description = "Order Settlement"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    sale_order_id = fields.Many2one(
        "sale.order", string="Order", required=True, index=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="sale_order_id.partner_id", store=True, string="Customer")
    date = fields.Datetime(string="Settled On", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Settled By", readonly=True)
    active = fields.Boolean(
        default=True, readonly=True, help="Unsettled: the order was reopened; kept for the record."
    )
    line_ids = fields.One2many(
        "sbk.order.settlement.line", "settlement_id", string="Cost Lines", readonly=True
    )
    revenue = _money("Revenue")
    procurement = _money("Procurement")
    domestic_freight = _money("Domestic Freight")
    customs_fee = _money("Customs Fee")
    ocean_freight = _money("Ocean Freight")
    insurance = _money("Insurance")
    commission = _money("Commission")
    vat_borne = _money("VAT Borne")
    tax_rebate = _money("Export Tax Rebate")
    real_profit = _money("Real Profit")
    real_margin = fields.Float(string="Real Margin (%)", digits=(16, 2), readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Cost Sheet", readonly=True)

    @api.depends("sale_order_id.name", "date")
    def _compute_name(self):
        for settlement in self:
            settlement.name = self.env._(
                "Settlement of %(order)s", order=settlement.sale_order_id.name or ""
            )

    @api.model
    def _sbk_prepare_vals(self, order):
        """The frozen figures of ``order`` (its stored cost sheet, as superuser reads it)."""
        return {
            "sale_order_id": order.id,
            "company_id": order.company_id.id,
            "date": fields.Datetime.now(),
            "user_id": self.env.user.id,
            "revenue": order.sbk_revenue,
            "procurement": order.sbk_cost_procurement,
            "domestic_freight": order.sbk_cost_domestic_freight,
            "customs_fee": order.sbk_cost_customs_fee,
            "ocean_freight": order.sbk_cost_ocean_freight,
            "insurance": order.sbk_cost_insurance,
            "commission": order.sbk_cost_commission,
            "vat_borne": order.sbk_vat_borne,
            "tax_rebate": order.sbk_tax_rebate,
            "real_profit": order.sbk_real_profit,
            "real_margin": order.sbk_real_margin,
            "line_ids": [
                Command.create(
                    {
                        "dimension": cost.dimension,
                        "description": cost.description,
                        "source_name": cost.source_name,
                        "date": cost.date,
                        "amount": cost.amount,
                    }
                )
                for cost in order.sbk_cost_ids
            ],
        }

    def _sbk_attach_cost_sheet(self):
        """Print the order's cost sheet and attach it to the settlement."""
        # A PDF always: wkhtmltopdf renders one in production anyway; the key only matters in
        # test mode, where Odoo falls back to HTML unless told to render.
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for settlement in self:
            content, report_format = report._render_qweb_pdf(
                "sbk_landed_cost.report_sbk_cost_sheet", settlement.sale_order_id.ids
            )
            extension = "pdf" if report_format == "pdf" else "html"
            attachment = self.env["ir.attachment"].create(
                {
                    "name": f"{settlement.sale_order_id.name} cost sheet.{extension}",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": settlement.id,
                    "mimetype": "application/pdf" if extension == "pdf" else "text/html",
                }
            )
            settlement.attachment_id = attachment


class SbkOrderSettlementLine(models.Model):
    """One cost line of a frozen cost sheet."""

    _name = "sbk.order.settlement.line"
    _description = "Order Settlement Line"
    _order = "settlement_id, dimension, id"

    settlement_id = fields.Many2one(
        "sbk.order.settlement", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="settlement_id.company_id", store=True)
    currency_id = fields.Many2one(related="settlement_id.currency_id")
    dimension = fields.Selection(DIMENSIONS, required=True, readonly=True)
    description = fields.Char(readonly=True)
    source_name = fields.Char(string="Source Document", readonly=True)
    date = fields.Date(readonly=True)
    amount = fields.Monetary(readonly=True)
