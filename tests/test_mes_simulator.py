"""The reference MES simulator on its own: a real XML-RPC server on loopback, and a fake Odoo
that records the events it reports."""

import contextlib
import importlib.util
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client
from pathlib import Path
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import pytest

ROOT = Path(__file__).resolve().parent.parent
SIMULATOR = ROOT / "mes_simulator" / "mes_sim.py"


@pytest.fixture(scope="module")
def mes_sim():
    spec = importlib.util.spec_from_file_location("mes_sim_under_test", SIMULATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class FakeOdoo:
    """``/xmlrpc/2/common`` and ``/xmlrpc/2/object`` answering like sbk_mes_bridge."""

    def __init__(self, port=0, refuse_after=None):
        self.events = []
        self.refuse_after = refuse_after

        class Handler(SimpleXMLRPCRequestHandler):
            rpc_paths = ("/xmlrpc/2/common", "/xmlrpc/2/object")

        self.server = SimpleXMLRPCServer(
            ("127.0.0.1", port), requestHandler=Handler, allow_none=True, logRequests=False
        )
        self.server.register_function(self.authenticate, "authenticate")
        self.server.register_function(self.execute_kw, "execute_kw")
        self.port = self.server.server_address[1]

    def authenticate(self, db, login, key, env):
        return 7 if (login, key) == ("mes", "secret-key") else False

    def execute_kw(self, db, uid, key, model, method, args, kwargs=None):
        assert (uid, key, model, method) == (7, "secret-key", "sbk.mes.bridge", "report_progress")
        event = args[0]
        if self.refuse_after is not None and len(self.events) >= self.refuse_after:
            raise xmlrpc.client.Fault(2, "Job is cancelled: it takes no more reports.")
        duplicate = any(e["message_id"] == event["message_id"] for e in self.events)
        if not duplicate:
            self.events.append(event)
        return {"status": "duplicate" if duplicate else "applied", "job_id": event["job_id"]}


def push(proxy, job_id, key, quantity=10.0, **extra):
    job = {"job_id": job_id, "idempotency_key": key, "quantity": quantity, **extra}
    return proxy.mes.push_job(job)


def test_same_idempotency_key_never_creates_two_jobs(mes_sim, tmp_path):
    server = mes_sim.make_server("127.0.0.1", 0, str(tmp_path / "mes.sqlite3"))
    with running(server):
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{server.server_address[1]}/RPC2")
        first = push(proxy, "WH/MO/00001", "key-1")
        again = push(proxy, "WH/MO/00001", "key-1", quantity=99)
        assert (
            first == again == {"accepted": True, "mes_ref": "MES-00001", "message": "job created"}
        )
        jobs = proxy.mes.list_jobs()
        assert [(j["job_id"], j["quantity"], j["revision"]) for j in jobs] == [
            ("WH/MO/00001", 10.0, 1)
        ]
        replan = push(proxy, "WH/MO/00001", "key-2", quantity=12)
        assert replan["message"] == "job re-planned" and replan["mes_ref"] == "MES-00001"
        assert proxy.mes.get_job("WH/MO/00001")["quantity"] == 12
        assert proxy.mes.stats()["counters"]["push_calls"] == 3


def test_jobs_survive_a_restart(mes_sim, tmp_path):
    db_file = str(tmp_path / "mes.sqlite3")
    with running(mes_sim.make_server("127.0.0.1", 0, db_file)) as server:
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{server.server_address[1]}/RPC2")
        push(proxy, "WH/MO/00002", "key-a")
    with running(mes_sim.make_server("127.0.0.1", 0, db_file)) as server:
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{server.server_address[1]}/RPC2")
        assert push(proxy, "WH/MO/00002", "key-a")["message"] == "job created"
        assert len(proxy.mes.list_jobs()) == 1


def test_cancel_and_refusals(mes_sim, tmp_path):
    with running(mes_sim.make_server("127.0.0.1", 0, str(tmp_path / "m.sqlite3"))) as server:
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{server.server_address[1]}/RPC2")
        push(proxy, "WH/MO/00003", "k3")
        assert proxy.mes.cancel_job("WH/MO/00003", "customer cancelled")["accepted"]
        assert proxy.mes.get_job("WH/MO/00003")["mes_state"] == "cancel"
        assert proxy.mes.cancel_job("WH/MO/00003", "again")["message"] == "job already cancelled"
        refused = push(proxy, "WH/MO/00003", "k4")
        assert not refused["accepted"] and "cannot be re-planned" in refused["message"]
        assert proxy.mes.cancel_job("WH/MO/NOPE", "")["accepted"]
        assert not proxy.mes.push_job({"job_id": "X"})["accepted"]


def test_credentials_and_site_are_checked(mes_sim, tmp_path):
    server = mes_sim.make_server(
        "127.0.0.1", 0, str(tmp_path / "m.sqlite3"), auth=("odoo", "pw"), site="plant-1"
    )
    with running(server):
        port = server.server_address[1]
        with pytest.raises(xmlrpc.client.ProtocolError, match="401"):
            xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/RPC2").mes.ping()
        wrong_site = xmlrpc.client.ServerProxy(
            f"http://odoo:pw@127.0.0.1:{port}/RPC2", headers=[("X-MES-Site", "plant-2")]
        )
        with pytest.raises(xmlrpc.client.ProtocolError, match="403"):
            wrong_site.mes.ping()
        good = xmlrpc.client.ServerProxy(
            f"http://odoo:pw@127.0.0.1:{port}/RPC2", headers=[("X-MES-Site", "plant-1")]
        )
        assert good.mes.ping() is True


def wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_running_a_job_reports_started_progress_scrap_and_done(mes_sim, tmp_path):
    odoo = FakeOdoo()
    reporter = mes_sim.OdooReporter(f"http://127.0.0.1:{odoo.port}", "db", "mes", "secret-key")
    server = mes_sim.make_server(
        "127.0.0.1", 0, str(tmp_path / "m.sqlite3"), odoo=reporter, speed=0
    )
    with running(odoo.server), running(server):
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{server.server_address[1]}/RPC2")
        push(proxy, "WH/MO/00004", "k", quantity=10, operations=[{"name": "Solder"}])
        proxy.mes.run_job("WH/MO/00004", {"steps": 3, "scrap": 1})
        assert wait_for(lambda: proxy.mes.get_job("WH/MO/00004")["mes_state"] == "done")
        assert wait_for(lambda: len(odoo.events) == 5)
        kinds = [e["event"] for e in odoo.events]
        assert kinds == ["started", "progress", "scrap", "progress", "done"]
        assert odoo.events[0]["operation"] == "Solder"
        assert sum(e["qty_done"] for e in odoo.events) == pytest.approx(9.0)
        assert sum(e["qty_scrap"] for e in odoo.events) == 1.0
        assert len({e["message_id"] for e in odoo.events}) == 5
        assert all(e["timestamp"].endswith("Z") for e in odoo.events)


def test_reporting_waits_for_odoo_to_come_back(mes_sim, tmp_path):
    port = free_port()
    reporter = mes_sim.OdooReporter(f"http://127.0.0.1:{port}", "db", "mes", "secret-key")
    server = mes_sim.make_server(
        "127.0.0.1", 0, str(tmp_path / "m.sqlite3"), odoo=reporter, speed=0
    )
    with running(server):
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{server.server_address[1]}/RPC2")
        push(proxy, "WH/MO/00005", "k", quantity=4)
        proxy.mes.run_job("WH/MO/00005", {"steps": 2})
        time.sleep(1.0)  # Odoo is down: the first event waits
        odoo = FakeOdoo(port=port)
        with running(odoo.server):
            assert wait_for(lambda: len(odoo.events) == 3, timeout=30)
        assert sum(e["qty_done"] for e in odoo.events) == 4.0


def test_a_refused_event_stops_the_run(mes_sim, tmp_path):
    odoo = FakeOdoo(refuse_after=1)
    reporter = mes_sim.OdooReporter(f"http://127.0.0.1:{odoo.port}", "db", "mes", "secret-key")
    server = mes_sim.make_server(
        "127.0.0.1", 0, str(tmp_path / "m.sqlite3"), odoo=reporter, speed=0
    )
    with running(odoo.server), running(server):
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{server.server_address[1]}/RPC2")
        push(proxy, "WH/MO/00006", "k", quantity=4)
        proxy.mes.run_job("WH/MO/00006", {"steps": 2})
        assert wait_for(lambda: proxy.mes.stats()["events"].get("rejected") == 1)
        assert len(odoo.events) == 1


def test_command_line_server_and_client(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(SIMULATOR),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db-file",
            str(tmp_path / "mes.sqlite3"),
            "--odoo-url",
            "http://127.0.0.1:1",
            "--odoo-db",
            "nowhere",
            "--speed",
            "5",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/RPC2")

        def up():
            try:
                return proxy.mes.ping()
            except OSError:
                return False

        assert wait_for(up)
        push(proxy, "WH/MO/00007", "k7", product="MCL18")
        listing = subprocess.run(
            [sys.executable, str(SIMULATOR), "list", "--url", f"http://127.0.0.1:{port}/RPC2"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "WH/MO/00007" in listing and "MES-00001" in listing and "MCL18" in listing
    finally:
        process.terminate()
        process.wait(10)
