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

    def action_sbk_view_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sbk_trade.action_sbk_shipment")
        action["domain"] = [("id", "in", self.sbk_shipment_ids.ids)]
        if len(self.sbk_shipment_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.sbk_shipment_ids.id)
        return action
