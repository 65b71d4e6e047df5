import uuid

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import SbkMesCommon


@tagged("post_install", "-at_install")
class TestRepeatsOverXmlRpc(SbkMesCommon, HttpCase):
    """An MES re-sends what it is not sure arrived: every kind of event, repeated after it was
    applied, is answered "duplicate" with the job's current figures, over XML-RPC, as the MES
    user the key wizard makes; stock moves once (issue #20)."""

    def setUp(self):
        super().setUp()
        action = (
            self.env["sbk.mes.api.key.wizard"]
            .create({"login": f"mes_{uuid.uuid4().hex[:8]}", "key_name": "repeats"})
            .action_generate()
        )
        self.key = action["context"]["default_key"]
        self.wizard_user = self.env["res.users"].browse(action["context"]["sbk_mes_user_id"])
        self.mes_uid = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, self.wizard_user.login, self.key, {}
        )
        self.assertEqual(self.mes_uid, self.wizard_user.id)

    def _send(self, event):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.mes_uid, self.key, "sbk.mes.bridge", "report_progress", [event]
        )

    def _send_twice(self, production, event_type, **values):
        """Send an event, then the very same again; return both answers."""
        event = self._event(production, event_type, **values)
        first = self._send(event)
        self.assertEqual(first["status"], "applied", first)
        again = self._send(event)
        return first, again

    def _on_hand(self, product, lot=None):
        return sum(
            self.env["stock.quant"]
            .search([("product_id", "=", product.id), ("location_id", "=", self.stock.id)])
            .filtered(lambda q: not lot or q.lot_id == lot)
            .mapped("quantity")
        )

    def assertDuplicateOf(self, again, production):
        production.invalidate_recordset()
        done = production.state == "done"
        self.assertEqual(again["status"], "duplicate")
        self.assertEqual(again["state"], production.state)
        self.assertEqual(
            again["qty_produced"], production.qty_produced if done else production.qty_producing
        )

    def test_every_kind_of_event_repeated_is_a_duplicate(self):
        production = self._production(10)
        self.assertEqual(
            set(production.move_raw_ids.mapped("state")), {"assigned"}, "reserved at confirmation"
        )
        modules, housings = self._on_hand(self.module), self._on_hand(self.housing)

        _first, again = self._send_twice(production, "started")
        self.assertDuplicateOf(again, production)
        self.assertEqual((again["state"], again["qty_produced"]), ("progress", 0.0))

        _first, again = self._send_twice(production, "progress", qty_done=3)
        self.assertDuplicateOf(again, production)
        self.assertEqual(again["qty_produced"], 3.0)

        _first, again = self._send_twice(production, "scrap", operation=1, qty_scrap=1)
        self.assertDuplicateOf(again, production)
        self.assertEqual(production.sbk_mes_qty_scrapped, 1.0)

        # 3 made + 1 scrapped + 5 made = 9 of 10: done with 8, the backorder makes the 2 missing.
        first, again = self._send_twice(production, "done", qty_done=5)
        self.assertEqual((first["state"], first["qty_produced"]), ("done", 8.0))
        self.assertTrue(first["backorder"])
        self.assertDuplicateOf(again, production)
        self.assertEqual(again["backorder"], first["backorder"])
        backorders = self.env["mrp.production"].search(
            [("sbk_mes_job_id", "=", first["backorder"])]
        )
        self.assertEqual(len(backorders), 1, "one backorder, not one per repeat")
        self.assertEqual(backorders.product_qty, 2.0)

        # Components consumed once, for the 8 made (the scrapped unit's never left the line).
        self.assertEqual(modules - self._on_hand(self.module), 16.0)
        self.assertEqual(housings - self._on_hand(self.housing), 8.0)
        self.assertEqual(self._on_hand(self.light), 8.0)
        self.assertEqual(len(production.sbk_mes_event_ids), 4)

    def test_done_repeated_is_a_duplicate(self):
        production = self._production(10)
        self._send(self._event(production, "progress", qty_done=3))
        first, again = self._send_twice(production, "done", qty_done=7)
        self.assertEqual(
            (first["state"], first["qty_produced"], first["backorder"]), ("done", 10.0, "")
        )
        self.assertDuplicateOf(again, production)
        self.assertEqual(again["qty_produced"], 10.0)
        self.assertEqual(self._on_hand(self.light), 10.0)

    def test_lot_tracked_component_repeated_done(self):
        chip = self.env["product.product"].create(
            {"name": "MES Driver Chip", "is_storable": True, "tracking": "lot"}
        )
        lot = self.env["stock.lot"].create({"name": "CHIP-001", "product_id": chip.id})
        self.env["stock.quant"]._update_available_quantity(chip, self.stock, 50, lot_id=lot)
        driver = self.env["product.product"].create({"name": "MES Driver", "is_storable": True})
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": driver.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": chip.id, "product_qty": 2})],
            }
        )
        production = self._production(5, product=driver)
        self.assertEqual(production.move_raw_ids.move_line_ids.lot_id, lot)
        first, again = self._send_twice(production, "done", qty_done=5)
        self.assertEqual(first["state"], "done")
        self.assertDuplicateOf(again, production)
        self.assertEqual(self._on_hand(chip, lot), 40.0, "the lot's chips consumed once")

    def test_partly_available_components_repeated_done(self):
        strip = self.env["product.product"].create({"name": "MES LED Strip", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(strip, self.stock, 4)
        lamp = self.env["product.product"].create({"name": "MES Strip Lamp", "is_storable": True})
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": lamp.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": strip.id, "product_qty": 1})],
            }
        )
        production = self._production(10, product=lamp)
        self.assertEqual(production.move_raw_ids.state, "partially_available")
        first, again = self._send_twice(production, "done", qty_done=4)
        self.assertEqual((first["state"], first["qty_produced"]), ("done", 4.0))
        self.assertTrue(first["backorder"])
        self.assertDuplicateOf(again, production)
        self.assertEqual(self._on_hand(strip), 0.0)
        self.assertEqual(self._on_hand(lamp), 4.0)
