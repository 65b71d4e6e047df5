from odoo import models
from odoo.tools import float_compare


class StockMove(models.Model):
    _inherit = "stock.move"

    def _sbk_set_loaded_lots(self, loaded_by_lot):
        """Keep on the move's lines only the lots and quantities loaded into the containers."""
        self.ensure_one()
        remaining = dict(loaded_by_lot)
        for move_line in self.move_line_ids:
            wanted = remaining.get(move_line.lot_id, 0.0)
            quantity = min(move_line.quantity, wanted)
            if float_compare(
                quantity, move_line.quantity, precision_rounding=self.product_uom.rounding
            ):
                move_line.quantity = quantity
            remaining[move_line.lot_id] = wanted - quantity
            move_line.picked = True
