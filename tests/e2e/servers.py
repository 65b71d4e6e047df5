"""Start and stop a real Odoo HTTP server and the reference MES simulator on loopback.

Used by the end-to-end tests (``tests/e2e``) and the benchmark ``bench/bench_mes_progress.py``.
Nothing here imports Odoo: Odoo runs in its own process, as in production.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIMULATOR = ROOT / "mes_simulator" / "mes_sim.py"


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    """``odoo-bin`` serving one database over HTTP, threaded (workers 0) with a cron thread."""

    def __init__(self, python, odoo_home, addons_path, db, log_file, port=None, cron_threads=1):
        self.python = python
        self.odoo_bin = str(Path(odoo_home) / "odoo-bin")
        self.addons_path = addons_path
        self.db = db
        self.port = port or free_port()
        self.log_file = Path(log_file)
        self.cron_threads = cron_threads
        self.process = None
        self.url = f"http://127.0.0.1:{self.port}"

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
                "--workers=0",
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
    """``mes_simulator/mes_sim.py`` in a process of its own; stop and start it at will."""

    def __init__(self, db_file, odoo_url, odoo_db, login, key, port=None, speed=20.0):
        self.port = port or free_port()
        self.db_file = str(db_file)
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
            "--odoo-key",
            key,
            "--speed",
            str(speed),
            "--log-level",
            "WARNING",
        ]
        self.url = f"http://127.0.0.1:{self.port}/RPC2"
        self.process = None

    @property
    def mes(self):
        return xmlrpc.client.ServerProxy(self.url, allow_none=True).mes

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
