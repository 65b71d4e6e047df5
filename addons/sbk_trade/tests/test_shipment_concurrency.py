# Two scanners race on committed data over separate connections: committing is the point.
# pylint: disable=invalid-commit
import uuid

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .concurrency import SERIALIZATION_FAILURE, ConnectionsMixin


@tagged("post_install", "-at_install")
class TestLoadingConcurrency(ConnectionsMixin, TransactionCase):
    """Two scanners load the last piece of a shipment at the same moment."""

    def _committed_shipment(self, barcode):
        (env,) = self._connections(1)
        company = env.company
        if not company.country_id:
            company.country_id = env.ref("base.cn")
        foreign = (
            env.ref("base.de") if company.country_id != env.ref("base.de") else env.ref("base.fr")
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        product = env["product.product"].create(
            {"name": "Race Lamp", "is_storable": True, "barcode": barcode}
        )
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
        buyer = env["res.partner"].create({"name": "Race Buyer", "country_id": foreign.id})
        order = env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        shipment = env["sbk.shipment"].create(
            {"partner_id": buyer.id, "picking_ids": [Command.set(order.picking_ids.ids)]}
        )
        env.cr.commit()
        return shipment.id

    def test_two_scanners_never_load_the_last_piece_twice(self):
        barcode = f"RACE-{uuid.uuid4().hex[:12]}"
        shipment_id = self._committed_shipment(barcode)

        def scan(env):
            env["sbk.shipment"].browse(shipment_id).on_barcode_scanned(barcode)
            return "counted"

        outcome = self._race(holder=scan, waiter=scan, waiter_snapshot_first=True)
        self.assertEqual(outcome, {"holder": "counted", "waiter": SERIALIZATION_FAILURE})
        # The retried scan sees the piece loaded and is refused.
        (env_retry,) = self._connections(1)
        shipment = env_retry["sbk.shipment"].browse(shipment_id)
        with self.assertRaisesRegex(UserError, "Too many"):
            shipment.on_barcode_scanned(barcode)
        self.assertEqual(shipment.loaded_quantity, 1)
        self.assertEqual(len(shipment.scan_ids), 1)
