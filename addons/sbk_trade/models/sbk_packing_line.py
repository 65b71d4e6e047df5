from odoo import api, fields, models


class SbkPackingLine(models.Model):
    """One line of a shipment's packing list: part of a delivery move in one container."""

    _name = "sbk.packing.line"
    _description = "Packing List Line"
    _order = "shipment_id, sequence, id"

    shipment_id = fields.Many2one("sbk.shipment", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="shipment_id.company_id", store=True)
    sequence = fields.Integer()
    container_id = fields.Many2one("sbk.shipment.container", ondelete="set null", index=True)
    move_id = fields.Many2one("stock.move", string="Delivery Move", ondelete="set null")
    picking_id = fields.Many2one(related="move_id.picking_id", string="Delivery")
    product_id = fields.Many2one("product.product", required=True)
    sale_order_id = fields.Many2one("sale.order", string="Order")
    uom_id = fields.Many2one(related="product_id.uom_id")
    quantity = fields.Float(digits="Product Unit of Measure")
    cartons = fields.Integer()
    carton_from = fields.Integer()
    carton_to = fields.Integer()
    pcs_last_carton = fields.Float(string="Pcs in Last Carton", digits="Product Unit of Measure")
    net_weight = fields.Float(string="N.W. (kg)")
    gross_weight = fields.Float(string="G.W. (kg)")
    volume = fields.Float(string="Volume (m³)")
    loaded_qty = fields.Float(string="Loaded", digits="Product Unit of Measure", copy=False)
    loaded_cartons = fields.Integer(compute="_compute_loaded_cartons")
    carton_range = fields.Char(string="Carton No.", compute="_compute_carton_range")

    @api.depends("loaded_qty", "product_id.sbk_pcs_per_carton")
    def _compute_loaded_cartons(self):
        for line in self:
            template = line.product_id.product_tmpl_id
            line.loaded_cartons = (
                template._sbk_pack(line.loaded_qty).cartons if template.sbk_pcs_per_carton else 0
            )

    @api.depends("carton_from", "carton_to")
    def _compute_carton_range(self):
        for line in self:
            line.carton_range = f"{line.carton_from}-{line.carton_to}" if line.cartons else False

    def _sbk_prepare_declaration_line_vals(self, hs_code, currency):
        """One declaration line for these loaded packing lines of one HS code."""
        company = self.shipment_id.company_id[:1]
        products = self.product_id
        goods_names = [p.sbk_name_cn or p.sbk_name_en or p.name for p in products]
        amount = 0.0
        net_weight = 0.0
        for line in self:
            sale_line = line.move_id.sale_line_id
            amount += line.loaded_qty * sale_line._sbk_get_fob_unit_price_per_product_uom()
            template = line.product_id.product_tmpl_id
            if template.sbk_pcs_per_carton:
                net_weight += template._sbk_pack(line.loaded_qty).net_weight
            else:
                net_weight += line.loaded_qty * line.product_id.weight
        uoms = products.uom_id
        return {
            "hs_code_id": hs_code.id,
            "goods_name": "、".join(dict.fromkeys(goods_names)),
            "product_ids": [(6, 0, products.ids)],
            "quantity": sum(self.mapped("loaded_qty")),
            "uom_id": uoms[:1].id,
            "net_weight": net_weight,
            "amount_fob": currency.round(amount),
            "origin_country_id": company.country_id.id,
        }
