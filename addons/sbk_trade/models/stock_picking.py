from odoo import fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    sbk_shipment_ids = fields.Many2many(
        "sbk.shipment",
        "sbk_shipment_picking_rel",
        "picking_id",
        "shipment_id",
        string="Export Shipments",
        copy=False,
    )

    def action_sbk_create_shipment(self):
        """Group the selected export deliveries of one buyer into a new shipment."""
        deliveries = self.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )
        if not deliveries:
            raise UserError(self.env._("Select deliveries that are neither done nor cancelled."))
        buyers = deliveries.partner_id.commercial_partner_id
        if len(buyers) != 1:
            raise UserError(
                self.env._(
                    "A shipment goes to one buyer; the selected deliveries go to %s.",
                    ", ".join(buyers.mapped("display_name")),
                )
            )
        shipment = self.env["sbk.shipment"].create(
            {
                "partner_id": buyers.id,
                "company_id": deliveries.company_id[:1].id,
                "picking_ids": [(6, 0, deliveries.ids)],
            }
        )
        return shipment.get_formview_action()

    def _sbk_set_loaded(self, loaded_by_move, lots_by_move):
        """Set the open deliveries' quantities to what a shipment loaded: ``loaded_by_move``
        ``{move: quantity in the product's UoM}``, ``lots_by_move`` ``{move: {lot: quantity}}``
        for tracked products. Returns the deliveries that loaded anything, to validate."""
        loaded_pickings = self.browse()
        for picking in self.filtered(lambda p: p.state not in ("done", "cancel")):
            moves = picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
            if not any(loaded_by_move.get(move) for move in moves):
                continue
            for move in moves:
                if move.has_tracking != "none" and lots_by_move.get(move):
                    move._sbk_set_loaded_lots(lots_by_move[move])
                else:
                    move.quantity = move.product_id.uom_id._compute_quantity(
                        loaded_by_move.get(move, 0.0), move.product_uom
                    )
                move.picked = True
            loaded_pickings |= picking
        return loaded_pickings

    def action_sbk_view_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sbk_trade.action_sbk_shipment")
        action["domain"] = [("id", "in", self.sbk_shipment_ids.ids)]
        if len(self.sbk_shipment_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.sbk_shipment_ids.id)
        return action
