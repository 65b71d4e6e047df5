from odoo import fields, models


class SbkShipmentScan(models.Model):
    """What the warehouse scanned while loading: the audit trail and the lots loaded."""

    _name = "sbk.shipment.scan"
    _description = "Loading Scan"
    _order = "id desc"

    shipment_id = fields.Many2one("sbk.shipment", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="shipment_id.company_id", store=True)
    packing_line_id = fields.Many2one("sbk.packing.line", ondelete="set null")
    barcode = fields.Char(required=True)
    product_id = fields.Many2one("product.product", required=True)
    lot_id = fields.Many2one("stock.lot")
    quantity = fields.Float(digits="Product Unit of Measure")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, string="Scanned By")
