from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .shipment_common import SbkShipmentCommon


@tagged("post_install", "-at_install")
class TestShipmentPacking(SbkShipmentCommon):
    def _line_figures(self, line):
        return (
            line.product_id,
            line.quantity,
            line.cartons,
            line.carton_from,
            line.carton_to,
            line.pcs_last_carton,
        )

    def test_packing_list_of_two_orders_numbers_cartons_through_the_shipment(self):
        shipment = self._shipment(self.order_a, self.order_b)
        self.assertEqual(shipment.sale_order_ids, self.order_a | self.order_b)
        self.assertEqual(
            [self._line_figures(line) for line in shipment.packing_line_ids],
            [
                # 1,030 at 50 a carton: 20 full cartons and one of 30.
                (self.product, 1030, 21, 1, 21, 30),
                # 100 at 24 a carton: 4 full cartons and one of 4.
                (self.box, 100, 5, 22, 26, 4),
                (self.product, 200, 4, 27, 30, 50),
            ],
        )
        first, second, third = shipment.packing_line_ids
        self.assertAlmostEqual(first.net_weight, 463.5)  # 1,030 x 22.5 / 50
        self.assertAlmostEqual(first.gross_weight, 495.0)  # + 21 cartons x 1.5 kg tare
        self.assertAlmostEqual(first.volume, 21 * 0.06944)
        self.assertAlmostEqual(second.net_weight, 50.0)  # 100 x 12 / 24
        self.assertAlmostEqual(second.gross_weight, 56.0)  # + 5 x 1.2 kg
        self.assertAlmostEqual(second.volume, 5 * 0.06)
        self.assertEqual(first.sale_order_id, self.order_a)
        self.assertEqual(third.sale_order_id, self.order_b)
        self.assertEqual(shipment.total_cartons, 30)
        self.assertEqual(shipment.total_quantity, 1330)
        self.assertAlmostEqual(shipment.total_net_weight, 463.5 + 50.0 + 90.0)
        self.assertAlmostEqual(shipment.total_gross_weight, 495.0 + 56.0 + 96.0)
        self.assertAlmostEqual(shipment.total_volume, 25 * 0.06944 + 0.3)
        self.assertEqual(shipment.port_of_loading, "Ningbo")
        self.assertFalse(shipment.packing_warning)

    def test_full_container_spills_over_at_a_carton_boundary(self):
        # Container types keep editable nominal capacities: a 20GP of 1 m³ holds 14 cartons.
        self.env.ref("sbk_trade.container_type_20gp").capacity_cbm = 1.0
        shipment = self._shipment(self.order_a, containers=("20GP", "40HQ"))
        first, second = shipment.container_ids.sorted("sequence")
        lines = shipment.packing_line_ids
        self.assertEqual(
            [
                (line.container_id, line.cartons, line.quantity, line.carton_from, line.carton_to)
                for line in lines
            ],
            [
                (first, 14, 700, 1, 14),
                (second, 7, 330, 15, 21),
                (second, 5, 100, 22, 26),
            ],
        )
        self.assertEqual(lines[1].pcs_last_carton, 30)
        self.assertEqual(first.total_cartons, 14)
        self.assertFalse(first.capacity_warning)
        self.assertEqual(shipment.loading_container_id, first)

    def test_capacity_and_missing_packing_spec_are_warned(self):
        self.env.ref("sbk_trade.container_type_20gp").write(
            {"capacity_cbm": 1.0, "capacity_kg": 400.0}
        )
        order = self._confirmed_export_order([(self.product, 1030, 10.0), (self.cover, 10, 1.0)])
        shipment = self._shipment(order, containers=("20GP",))
        container = shipment.container_ids
        self.assertIn("1.458 m³ exceeds the nominal 1.0 m³", container.capacity_warning)
        # 495 kg of lights + 10 covers x 0.2 kg: without packing spec, the product's weight.
        self.assertIn("497.00 kg exceeds the payload of 400 kg", container.capacity_warning)
        self.assertIn(container.capacity_warning, shipment.packing_warning)
        self.assertIn("No packing spec", shipment.packing_warning)
        self.assertIn(self.cover.display_name, shipment.packing_warning)
        cover_line = shipment.packing_line_ids.filtered(lambda line: line.product_id == self.cover)
        self.assertEqual((cover_line.quantity, cover_line.cartons), (10, 0))
        self.assertAlmostEqual(cover_line.net_weight, 2.0)
        self.assertAlmostEqual(cover_line.gross_weight, 2.0)

    def test_container_number_follows_iso_6346(self):
        shipment = self._shipment(self.order_b)
        container = self.env["sbk.shipment.container"].create(
            {"shipment_id": shipment.id, "container_number": "csqu 305438 3"}
        )
        self.assertEqual(container.container_number, "CSQU3054383")
        for wrong in ("CSQU3054384", "CSQ3054383", "CSQX3054383"):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                container.container_number = wrong
        self.assertEqual(container.container_number, "CSQU3054383")

    def test_adding_a_container_regenerates_the_packing_list(self):
        shipment = self._shipment(self.order_b)
        self.assertFalse(shipment.packing_line_ids.container_id)
        with Form(shipment) as form:
            with form.container_ids.new() as container:
                container.container_type = "20GP"
                container.container_number = "CSQU3054383"
        self.assertEqual(shipment.packing_line_ids.container_id, shipment.container_ids)

    def test_deliveries_of_another_buyer_or_already_shipped_are_refused(self):
        other = self.env["res.partner"].create(
            {"name": "Other Buyer", "country_id": self.foreign_country.id}
        )
        with (
            self.assertRaisesRegex(ValidationError, "not to the shipment's buyer"),
            self.cr.savepoint(),
        ):
            self.env["sbk.shipment"].create(
                {
                    "partner_id": other.id,
                    "picking_ids": [Command.set(self._deliveries(self.order_a).ids)],
                }
            )
        self._shipment(self.order_a)
        with self.assertRaisesRegex(ValidationError, "already ship with"):
            self._shipment(self.order_a)

    def test_order_button_ships_its_open_deliveries(self):
        trade_user = self._create_user("shipper", ["sbk_trade.group_sbk_trade_user"])
        self.order_a.user_id = trade_user  # a salesperson ships their own contracts
        action = self.order_a.with_user(trade_user).action_sbk_create_shipment()
        shipment = self.env["sbk.shipment"].browse(action["res_id"])
        self.assertEqual(shipment.picking_ids, self._deliveries(self.order_a))
        self.assertEqual(self.order_a.sbk_shipment_ids, shipment)
        self.assertEqual(self.order_a.sbk_shipment_count, 1)
        with self.assertRaisesRegex(UserError, "no open delivery left"):
            self.order_a.action_sbk_create_shipment()
        self.assertEqual(self._deliveries(self.order_a).sbk_shipment_ids, shipment)
