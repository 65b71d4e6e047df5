"""Rules the server keeps whatever context an XML-RPC caller sends."""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .shipment_common import SbkShipmentCommon


@tagged("post_install", "-at_install")
class TestServerRules(SbkShipmentCommon):
    def test_a_context_key_does_not_let_users_change_containers_being_loaded(self):
        users = new_test_user(
            self.env, "ctx_trade", groups="sbk_trade.group_sbk_trade_user"
        ) | new_test_user(self.env, "ctx_stock", groups="stock.group_stock_user")
        shipment = self._shipment(self.order_b, containers=("40HQ",))
        shipment.on_barcode_scanned("0106901234599107" + "3050")
        container = shipment.container_ids
        lines = shipment.packing_line_ids
        before = [(line.container_id, line.quantity, line.loaded_qty) for line in lines]
        for user in users:
            # The key the shipment's own packing code sets when it writes containers.
            as_user = container.with_user(user).with_context(sbk_packing_regeneration=True)
            attempts = {
                "create": lambda as_user=as_user: as_user.create(
                    {"shipment_id": shipment.id, "container_type": "20GP"}
                ),
                "write": lambda as_user=as_user: as_user.write({"container_type": "20GP"}),
                "unlink": lambda as_user=as_user: as_user.unlink(),
            }
            for what, attempt in attempts.items():
                with (
                    self.subTest(user=user.login, what=what),
                    self.assertRaisesRegex(UserError, "Loading of .* has started"),
                    self.env.cr.savepoint(),  # rolled back as the request would be
                ):
                    attempt()
        self.assertEqual(shipment.container_ids, container)
        self.assertEqual(container.container_type, "40HQ")
        self.assertEqual(
            [(line.container_id, line.quantity, line.loaded_qty) for line in lines], before
        )
        # Papers of the container stay the user's to fill in.
        container.with_user(users[1]).write({"seal_number": "SL777"})
        self.assertEqual(container.seal_number, "SL777")


@tagged("post_install", "-at_install")
class TestDownloadIds(HttpCase):
    def test_ids_no_record_can_have_get_a_clean_answer(self):
        self.authenticate("admin", "admin")
        for url in (
            "/sbk_trade/shipment/%s/packing_list.xlsx",
            "/sbk_trade/declaration/%s/lines.xlsx",
            "/sbk_trade/order/%s/proforma.xlsx",
            "/sbk_trade/invoice/%s/commercial_invoice.xlsx",
        ):
            for record_id in ("99999999999999999999", "2147483648", "0", "²"):
                with self.subTest(url=url, record_id=record_id):
                    response = self.url_open(url % record_id)
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn(b"Traceback", response.content)
