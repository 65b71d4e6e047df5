"""Start and stop a real Odoo HTTP server and the reference MES simulator on loopback.

Used by the end-to-end tests (``tests/e2e``) and the benchmark ``bench/bench_mes_progress.py``.
Nothing here imports Odoo: Odoo runs in its own process, as in production.
"""

import base64
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
import xmlrpc.client
from pathlib import Path

from sbkdev.project import free_port

ROOT = Path(__file__).resolve().parents[2]
SIMULATOR = ROOT / "mes_simulator" / "mes_sim.py"


def wait_for(predicate, timeout=30.0, interval=0.1):
    """Poll ``predicate`` until it returns something true; return it (or None on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            return None
        time.sleep(interval)


class OdooServer:
    """``odoo-bin`` serving one database over HTTP.

    ``workers=0``: Odoo's threaded server, with ``cron_threads`` cron threads. ``workers`` > 0:
    its multi-process (prefork) server as production runs it, ``workers`` HTTP worker processes
    and ``cron_threads`` cron worker processes, each with its own registry and cursor pool.
    """

    def __init__(
        self,
        python,
        odoo_home,
        addons_path,
        db,
        log_file,
        port=None,
        cron_threads=1,
        workers=0,
    ):
        self.python = python
        self.odoo_bin = str(Path(odoo_home) / "odoo-bin")
        self.addons_path = addons_path
        self.db = db
        self.port = port or free_port()
        # The prefork server also opens a port for its websocket (gevent) process.
        self.gevent_port = free_port()
        self.log_file = Path(log_file)
        self.cron_threads = cron_threads
        self.workers = workers
        self.process = None
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def mode(self):
        return f"prefork, workers={self.workers}" if self.workers else "threaded, workers=0"

    def start(self, timeout=120):
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                self.python,
                self.odoo_bin,
                f"--addons-path={self.addons_path}",
                "-d",
                self.db,
                f"--db-filter=^{self.db}$",
                f"--http-port={self.port}",
                "--http-interface=127.0.0.1",
                f"--workers={self.workers}",
                f"--gevent-port={self.gevent_port}",
                f"--max-cron-threads={self.cron_threads}",
                "--no-database-list",
                f"--logfile={self.log_file}",
            ],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")

        def up():
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited with {self.process.returncode}: {self.log_file}")
            try:
                return common.version()
            except (OSError, xmlrpc.client.ProtocolError):
                return None

        if not wait_for(up, timeout=timeout, interval=0.3):
            self.stop()
            raise RuntimeError(f"Odoo did not answer within {timeout} s: {self.log_file}")
        return self

    def kill(self):
        """Kill the server and every process it forked at once, as a crash or an OOM does."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
        self.process = None

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None


class Client:
    """``execute_kw`` for one user (password or API key)."""

    def __init__(self, url, db, login, secret):
        self.url = url
        self.db = db
        self.login = login
        self.secret = secret
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, secret, {})
        if not self.uid:
            raise PermissionError(f"{login} cannot log in to {db}")

    def __call__(self, model, method, *args, **kwargs):
        proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(self.db, self.uid, self.secret, model, method, list(args), kwargs)


class Simulator:
    """``mes_simulator/mes_sim.py`` in a process of its own; stop and start it at will.

    Its secrets are files next to its database (mode 600), as docker compose and scripts/demo
    give them: the MES user's API key and the token Odoo presents (``self.token``, with the
    login ``odoo``: set them as Odoo's MES login and password).
    """

    def __init__(self, db_file, odoo_url, odoo_db, login, key, port=None, speed=20.0, batch=50):
        self.port = port or free_port()
        self.db_file = str(db_file)
        self.token = secrets.token_urlsafe(24)
        folder = Path(db_file).parent
        key_file, token_file = folder / "odoo_key", folder / "auth_token"
        for path, secret in ((key_file, key), (token_file, self.token)):
            path.touch(mode=0o600)
            path.write_text(secret)
        self.args = [
            sys.executable,
            str(SIMULATOR),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--db-file",
            self.db_file,
            "--odoo-url",
            odoo_url,
            "--odoo-db",
            odoo_db,
            "--odoo-login",
            login,
            "--odoo-key-file",
            str(key_file),
            "--auth-token-file",
            str(token_file),
            "--speed",
            str(speed),
            "--batch-size",
            str(batch),
            "--log-level",
            "WARNING",
        ]
        self.url = f"http://127.0.0.1:{self.port}/RPC2"
        self.process = None

    @property
    def mes(self):
        basic = base64.b64encode(f"odoo:{self.token}".encode()).decode()
        transport = xmlrpc.client.Transport(headers=[("Authorization", f"Basic {basic}")])
        return xmlrpc.client.ServerProxy(self.url, transport=transport, allow_none=True).mes

    def start(self):
        self.process = subprocess.Popen(self.args, stdin=subprocess.DEVNULL)

        def up():
            try:
                return self.mes.ping()
            except OSError:
                return False

        if not wait_for(up, timeout=20):
            raise RuntimeError("the MES simulator did not start")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def put_in_stock(admin, products, quantity):
    """``quantity`` of each product in the main warehouse's stock (Odoo's "Update Quantity")."""
    for product in products:
        template = admin("product.product", "read", [product], ["product_tmpl_id"])[0]
        wizard = admin(
            "stock.change.product.qty",
            "create",
            {
                "product_id": product,
                "product_tmpl_id": template["product_tmpl_id"][0],
                "new_quantity": quantity,
            },
        )
        admin("stock.change.product.qty", "change_product_qty", [wizard])


def configure_outbox(admin, url, token):
    """Point Odoo's MES outbox at a simulator on ``url``, fast retries, no tolerance."""
    for key, value in (
        ("sbk_mes_bridge.url", url),
        ("sbk_mes_bridge.database", ""),
        # What Odoo presents to the MES: the simulator refuses any other caller.
        ("sbk_mes_bridge.login", "odoo"),
        ("sbk_mes_bridge.password", token),
        ("sbk_mes_bridge.auto_push", "True"),
        ("sbk_mes_bridge.retry_delay", "1"),
        ("sbk_mes_bridge.max_attempts", "30"),
        ("sbk_mes_bridge.tolerance", "0"),
        ("sbk_mes_bridge.timeout", "5"),
    ):
        admin("ir.config_parameter", "set_param", key, value)


def make_light(admin, name, code, components, per_unit=1, operations=()):
    """A storable light with a bill of materials: ``per_unit`` of each component, made in
    ``operations`` (one2many commands); returns the light's id."""
    suffix = uuid.uuid4().hex[:6]
    light = admin(
        "product.product",
        "create",
        {"name": f"{name} Light {suffix}", "default_code": f"{code}{suffix}", "is_storable": True},
    )
    template = admin("product.product", "read", [light], ["product_tmpl_id"])[0]
    bom_lines = [(0, 0, {"product_id": c, "product_qty": per_unit}) for c in components]
    admin(
        "mrp.bom",
        "create",
        {
            "product_tmpl_id": template["product_tmpl_id"][0],
            "product_qty": 1,
            "bom_line_ids": bom_lines,
            "operation_ids": list(operations),
        },
    )
    return light


def make_stocked_light(admin, stock, name="E2E Stocked", code="E2S"):
    """A light made of two storable components (2 of each), ``stock`` of each on hand: its MOs
    reserve them at confirmation and closing one moves stock. Returns (light, components)."""
    suffix = uuid.uuid4().hex[:6]
    components = [
        admin(
            "product.product", "create", {"name": f"{name} Part {i} {suffix}", "is_storable": True}
        )
        for i in (1, 2)
    ]
    put_in_stock(admin, components, stock)
    return make_light(admin, name, code, components, per_unit=2), components
