from typing import NamedTuple

from odoo import api, fields, models
from odoo.tools import float_compare, float_is_zero

from ..tools.packing import Packing, carton_ranges


class ShippedLine(NamedTuple):
    """A packing line as the documents state it (``sbk.packing.line._sbk_get_shipped``)."""

    line: object  # sbk.packing.line
    quantity: float
    packing: Packing
    carton_from: int
    carton_to: int


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

    @api.depends("loaded_qty", "product_id.sbk_pcs_per_carton", "product_id.sbk_carton_cbm")
    def _compute_loaded_cartons(self):
        for line in self:
            line.loaded_cartons = (
                line.product_id._sbk_get_packing(line.loaded_qty).cartons if line.product_id else 0
            )

    @api.depends("carton_from", "carton_to")
    def _compute_carton_range(self):
        for line in self:
            line.carton_range = f"{line.carton_from}-{line.carton_to}" if line.cartons else False

    def _sbk_get_shipped(self, loaded):
        """These lines as the documents state them, carton numbers running on through them:
        the plan, or once ``loaded`` what was loaded (lines loaded short repacked, lines not
        loaded left out).

        :return: list of ``ShippedLine``, in packing-list order
        """
        parts = []
        for line in self:
            rounding = line.product_id.uom_id.rounding
            quantity = line.loaded_qty if loaded else line.quantity
            if loaded and float_is_zero(quantity, precision_rounding=rounding):
                continue
            if float_compare(quantity, line.quantity, precision_rounding=rounding):
                packing = line.product_id._sbk_get_packing(quantity)
            else:
                packing = Packing(
                    line.cartons,
                    line.pcs_last_carton,
                    line.volume,
                    line.net_weight,
                    line.gross_weight,
                )
            parts.append((line, quantity, packing))
        ranges = carton_ranges([packing.cartons for _line, _qty, packing in parts])
        return [
            ShippedLine(line, quantity, packing, first, last)
            for (line, quantity, packing), (first, last) in zip(parts, ranges, strict=True)
        ]
