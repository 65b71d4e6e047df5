from odoo import fields, models


class SbkCustomsDeclarationLine(models.Model):
    """One line of a declaration: the goods of one HS code."""

    _name = "sbk.customs.declaration.line"
    _description = "Customs Declaration Line"
    _order = "declaration_id, sequence, id"

    declaration_id = fields.Many2one(
        "sbk.customs.declaration", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="declaration_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    hs_code_id = fields.Many2one("sbk.hs.code", string="HS Code", required=True)
    goods_name = fields.Char(required=True)
    declaration_elements = fields.Text(related="hs_code_id.declaration_elements")
    product_ids = fields.Many2many("product.product", string="Products")
    quantity = fields.Float(digits="Product Unit of Measure")
    uom_id = fields.Many2one("uom.uom", string="Unit")
    net_weight = fields.Float(string="N.W. (kg)", digits=(16, 2))
    currency_id = fields.Many2one(related="declaration_id.currency_id")
    amount_fob = fields.Monetary(string="FOB Value")
    rebate_rate = fields.Float(related="hs_code_id.rebate_rate", string="Rebate Rate (%)")
    origin_country_id = fields.Many2one("res.country", string="Origin")
