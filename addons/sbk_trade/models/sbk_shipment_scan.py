from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ..tools.barcode_scan import gtin_barcodes, label_quantity, read_gs1


class SbkShipmentScan(models.Model):
    """What the warehouse scanned while loading: the audit trail and the lots loaded.

    Read-only to every user (access rights): scans are recorded by the loading code alone
    (``_sbk_record``), so the trail, whose lots decide what is delivered, is what was scanned.
    """

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

    # -- reading a barcode -----------------------------------------------------------------

    @api.model
    def _sbk_read_barcode(self, barcode):
        """(product, quantity in the product's UoM, lot name or False) that ``barcode`` loads.

        A product barcode counts one piece, a packaging barcode (the carton) the packaging's
        quantity, a GS1-128 label its (30) count of the product or packaging of its (01) GTIN
        (one piece or packaging without a count) and its (10) lot. Raises a UserError for a
        barcode nothing answers to.
        """
        Product = self.env["product.product"]
        Packaging = self.env["product.packaging"]
        product = Product.search([("barcode", "=", barcode)], limit=1)
        if product:
            return product, 1.0, False
        packaging = Packaging.search([("barcode", "=", barcode)], limit=1)
        if packaging:
            return packaging.product_id, packaging.qty, False
        label = self._sbk_read_gs1(barcode)
        if label is None:
            raise UserError(self.env._("Unknown barcode %s: no product or carton has it.", barcode))
        if not label.gtin:
            raise UserError(
                self.env._("The label %s carries no GTIN (01): scan the product label.", barcode)
            )
        candidates = gtin_barcodes(label.gtin)
        product = Product.search([("barcode", "in", candidates)], limit=1)
        unit_qty = 1.0
        if not product:
            packaging = Packaging.search([("barcode", "in", candidates)], limit=1)
            product, unit_qty = packaging.product_id, packaging.qty
        if not product:
            raise UserError(
                self.env._("Unknown GTIN %s: no product or carton has this barcode.", label.gtin)
            )
        quantity = label_quantity(label, unit_qty)
        if float_compare(quantity, 0.0, precision_rounding=product.uom_id.rounding) <= 0:
            raise UserError(
                self.env._(
                    "The label %s counts no pieces: the count (30) must be positive.", barcode
                )
            )
        return product, quantity, label.lot or False

    @api.model
    def _sbk_read_gs1(self, barcode):
        """The GS1-128 label ``barcode`` holds, split by the company's GS1 nomenclature (Odoo's
        default one when the company uses another), or None."""
        nomenclature = self.env.company.nomenclature_id
        if not nomenclature.is_gs1_nomenclature:
            nomenclature = self.env.ref(
                "barcodes_gs1_nomenclature.default_gs1_nomenclature", raise_if_not_found=False
            )
        if not nomenclature:
            return None
        try:
            parts = nomenclature.gs1_decompose_extanded(barcode)
        except (UserError, ValidationError, ValueError):
            return None
        return read_gs1(parts)

    # -- the trail ---------------------------------------------------------------------------

    @api.model
    def _sbk_record(self, shipment, line, barcode, product, quantity, lot_name):
        """Record a counted scan; the loading code calls it once the count is written."""
        lot = self.env["stock.lot"]
        if lot_name:
            lot = lot.search([("product_id", "=", product.id), ("name", "=", lot_name)], limit=1)
        # The trail is read-only to users (access rights): only this method writes it.
        return self.sudo().create(
            {
                "shipment_id": shipment.id,
                "packing_line_id": line.id,
                "barcode": barcode,
                "product_id": product.id,
                "lot_id": lot.id,
                "quantity": quantity,
            }
        )
