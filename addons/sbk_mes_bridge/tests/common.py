import contextlib
import importlib.util
import socket
import sys
import tempfile
import threading
import uuid
from pathlib import Path

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

#: The reference MES simulator lives at the repository root, next to ``addons/``.
SIMULATOR = Path(__file__).resolve().parents[3] / "mes_simulator" / "mes_sim.py"


def load_simulator():
    """Import ``mes_simulator/mes_sim.py`` (standalone: stdlib only) or return None."""
    if not SIMULATOR.exists():
        return None
    name = "sbk_mes_simulator"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SIMULATOR)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SbkMesCommon(TransactionCase):
    """An LED light made in two operations from two components in stock, an export order it
    is made for, and the MES's technical user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param("sbk_mes_bridge.auto_push", "True")
        cls.params.set_param("sbk_mes_bridge.url", "")
        cls.params.set_param("sbk_mes_bridge.database", "")
        cls.params.set_param("sbk_mes_bridge.login", "")
        cls.params.set_param("sbk_mes_bridge.password", "")
        cls.params.set_param("sbk_mes_bridge.max_attempts", "3")
        cls.params.set_param("sbk_mes_bridge.retry_delay", "60")
        cls.params.set_param("sbk_mes_bridge.tolerance", "0")
        cls.params.set_param("sbk_mes_bridge.timeout", "5")
        # The stories happen in January 2030: the clock window reaches that far in the tests.
        cls.params.set_param("sbk_mes_bridge.timestamp_future_days", "3650")
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.workcenter_smt = cls.env["mrp.workcenter"].create({"name": "SMT Line"})
        cls.workcenter_assembly = cls.env["mrp.workcenter"].create({"name": "Assembly Line"})
        cls.module = cls.env["product.product"].create(
            {
                "name": "MES LED Module",
                "default_code": "MLM01",
                "is_storable": True,
                "standard_price": 6.2,
            }
        )
        cls.housing = cls.env["product.product"].create(
            {
                "name": "MES Housing",
                "default_code": "MHS01",
                "is_storable": True,
                "standard_price": 3.8,
            }
        )
        for component in cls.module | cls.housing:
            cls.env["stock.quant"]._update_available_quantity(component, cls.stock, 1000)
        cls.light = cls.env["product.product"].create(
            {
                "name": "MES Ceiling Light",
                "default_code": "MCL18",
                "is_storable": True,
                "standard_price": 15.0,
            }
        )
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.light.product_tmpl_id.id,
                "product_qty": 1,
                "produce_delay": 2,
                "bom_line_ids": [
                    Command.create({"product_id": cls.module.id, "product_qty": 2}),
                    Command.create({"product_id": cls.housing.id, "product_qty": 1}),
                ],
                "operation_ids": [
                    Command.create(
                        {
                            "name": "Solder",
                            "workcenter_id": cls.workcenter_smt.id,
                            "time_cycle_manual": 3,
                            "sequence": 10,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Assemble",
                            "workcenter_id": cls.workcenter_assembly.id,
                            "time_cycle_manual": 6,
                            "sequence": 20,
                        }
                    ),
                ],
            }
        )
        cls.simple = cls.env["product.product"].create(
            {"name": "MES Bracket", "default_code": "MBR01", "is_storable": True}
        )
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.simple.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": cls.housing.id, "product_qty": 1})],
            }
        )
        if not cls.company.country_id:
            cls.company.country_id = cls.env.ref("base.cn")
        foreign = cls.env.ref("base.de")
        if cls.company.country_id == foreign:
            foreign = cls.env.ref("base.fr")
        cls.buyer = cls.env["res.partner"].create(
            {"name": "MES Test Buyer", "country_id": foreign.id}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.buyer.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.light.id, "product_uom_qty": 10, "price_unit": 42.0}
                    )
                ],
            }
        )
        # Only the MES group: the MES account is no internal user.
        cls.mes_user = new_test_user(
            cls.env,
            "mes_robot",
            groups="sbk_mes_bridge.group_sbk_mes_integration",
            name="MES Robot",
        )
        cls.bridge = cls.env["sbk.mes.bridge"].with_user(cls.mes_user)

    # -- helpers -------------------------------------------------------------------------------

    def _production(self, quantity=10.0, product=None, confirm=True, **vals):
        product = product or self.light
        production = self.env["mrp.production"].create(
            {
                "product_id": product.id,
                "product_qty": quantity,
                "date_start": fields.Datetime.to_datetime("2030-01-07 08:00:00"),
                **vals,
            }
        )
        if confirm:
            production.action_confirm()
        return production

    def _event(self, production, event, **values):
        values.setdefault("timestamp", "2030-01-07T10:00:00Z")
        return {
            "message_id": str(uuid.uuid4()),
            "job_id": production.sbk_mes_job_id or production.name,
            "event": event,
            **values,
        }

    def _report(self, production, event, **values):
        return self.bridge.report_progress(self._event(production, event, **values))

    @contextlib.contextmanager
    def mes_server(self, **options):
        """The reference simulator on a free loopback port, in a thread, for this test."""
        simulator = load_simulator()
        if simulator is None:
            self.skipTest(f"the MES simulator is not at {SIMULATOR}")
        db_file = Path(self.tmp_dir()) / "mes.sqlite3"
        server = simulator.make_server("127.0.0.1", 0, str(db_file), **options)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.server_address[1]
        self.params.set_param("sbk_mes_bridge.url", f"http://127.0.0.1:{port}/RPC2")
        try:
            yield server.service
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)

    def tmp_dir(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        return directory.name

    def _deliver(self):
        return self.env["sbk.mes.message"]._cron_deliver()
