from odoo import Command, api, fields, models


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

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.declaration_id._sbk_raise_declared()
        return lines

    def write(self, vals):
        self.declaration_id._sbk_raise_declared()
        result = super().write(vals)
        if "declaration_id" in vals:
            self.declaration_id._sbk_raise_declared()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_declared(self):
        self.declaration_id._sbk_raise_declared()

    @api.model
    def _sbk_prepare_vals_from_packing(self, packing_lines, hs_code, currency):
        """One declaration line for the loaded ``packing_lines`` of one HS code."""
        company = packing_lines.shipment_id.company_id[:1]
        products = packing_lines.product_id
        goods_names = [p.sbk_name_cn or p.sbk_name_en or p.name for p in products]
        fob_items = [
            (line.move_id.sale_line_id._sbk_get_fob_unit_price_per_product_uom(), line.loaded_qty)
            for line in packing_lines
        ]
        net_weight = sum(
            line.product_id._sbk_get_packing(line.loaded_qty).net_weight for line in packing_lines
        )
        uoms = products.uom_id
        return {
            "hs_code_id": hs_code.id,
            "goods_name": "、".join(dict.fromkeys(goods_names)),
            "product_ids": [Command.set(products.ids)],
            "quantity": sum(packing_lines.mapped("loaded_qty")),
            "uom_id": uoms[:1].id,
            "net_weight": net_weight,
            "amount_fob": self._sbk_get_fob_amount(fob_items, currency),
            "origin_country_id": company.country_id.id,
        }

    @api.model
    def _sbk_get_fob_amount(self, items, currency):
        """The FOB value a declaration line states for ``items`` of one HS code, ``(FOB unit
        price per product UoM, quantity)``: summed, then rounded once. The commercial invoice
        sums its FOB value the same way, so both documents state one figure."""
        return currency.round(sum(price * quantity for price, quantity in items))
