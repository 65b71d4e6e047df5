# Two scanners race on committed data over separate connections: committing is the point.
# pylint: disable=invalid-commit
import threading
import uuid

from psycopg2 import errors

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .concurrency import ConnectionsMixin


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
        env_late, env_early = self._connections(2)
        late_started, early_scanned = threading.Event(), threading.Event()
        outcome = {}

        def run_late():
            env_late.cr.execute("SELECT 1")  # the snapshot starts before the other scan
            late_started.set()
            early_scanned.wait(30)
            try:
                env_late["sbk.shipment"].browse(shipment_id).on_barcode_scanned(barcode)
                env_late.cr.commit()
                outcome["late"] = "counted"
            except errors.SerializationFailure:
                # Odoo retries such a request; the retry is run below.
                env_late.cr.rollback()
                outcome["late"] = "serialization failure"

        def run_early():
            late_started.wait(30)
            env_early["sbk.shipment"].browse(shipment_id).on_barcode_scanned(barcode)
            early_scanned.set()
            threading.Event().wait(1.0)
            env_early.cr.commit()

        threads = [threading.Thread(target=run_late), threading.Thread(target=run_early)]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertEqual(outcome["late"], "serialization failure")
        # The retried scan sees the piece loaded and is refused.
        (env_retry,) = self._connections(1)
        shipment = env_retry["sbk.shipment"].browse(shipment_id)
        with self.assertRaisesRegex(UserError, "Too many"):
            shipment.on_barcode_scanned(barcode)
        self.assertEqual(shipment.loaded_quantity, 1)
        self.assertEqual(len(shipment.scan_ids), 1)
