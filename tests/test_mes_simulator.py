"""The reference MES simulator on its own: a real XML-RPC server on loopback, and a fake Odoo
that records the events it reports."""

import contextlib
import importlib.util
import os
import socketserver
import subprocess
import sys
import threading
import time
import xmlrpc.client
from pathlib import Path
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import pytest
from sbkdev.project import free_port

ROOT = Path(__file__).resolve().parent.parent
SIMULATOR = ROOT / "mes_simulator" / "mes_sim.py"


@pytest.fixture(scope="module")
def mes_sim():
    spec = importlib.util.spec_from_file_location("mes_sim_under_test", SIMULATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    """``/xmlrpc/2/common`` and ``/xmlrpc/2/object`` answering like sbk_mes_bridge.

    ``batches``: take a list of events and answer a list (Odoo with the batch call); without
    it a list is refused with the Fault an older Odoo gives.
    """

    def __init__(self, port=0, refuse_after=None, batches=False, delay=0.0):
        self.events = []
        self.calls = []
        self.refuse_after = refuse_after
        self.batches = batches
        self.delay = delay
        self.lock = threading.Lock()

        class Handler(SimpleXMLRPCRequestHandler):
            rpc_paths = ("/xmlrpc/2/common", "/xmlrpc/2/object")

        self.server = ThreadedServer(
            ("127.0.0.1", port), requestHandler=Handler, allow_none=True, logRequests=False
        )
        self.server.register_function(self.authenticate, "authenticate")
        self.server.register_function(self.execute_kw, "execute_kw")
        self.port = self.server.server_address[1]

    def authenticate(self, db, login, key, env):
        return 7 if (login, key) == ("mes", "secret-key") else False

    def execute_kw(self, db, uid, key, model, method, args, kwargs=None):
        assert (uid, key, model, method) == (7, "secret-key", "sbk.mes.bridge", "report_progress")
        time.sleep(self.delay)
        payload = args[0]
        with self.lock:
            self.calls.append(len(payload) if isinstance(payload, list) else 1)
            if isinstance(payload, list):
                if not self.batches:
                    raise xmlrpc.client.Fault(
                        2, f"An MES event must be a struct (dict), got: {payload!r}"
                    )
                return [self._apply(event) for event in payload]
            if self.refuse_after is not None and len(self.events) >= self.refuse_after:
                raise xmlrpc.client.Fault(2, "Job is cancelled: it takes no more reports.")
            return self._apply(payload)

    def _apply(self, event):
        duplicate = any(e["message_id"] == event["message_id"] for e in self.events)
        if not duplicate:
            self.events.append(event)
        return {"status": "duplicate" if duplicate else "applied", "job_id": event["job_id"]}


class ThreadedServer(socketserver.ThreadingMixIn, SimpleXMLRPCServer):
    daemon_threads = True
    allow_reuse_address = True


TOKEN = "mes-token-for-tests"
AUTH = ("odoo", TOKEN)


def proxy_to(mes_sim, server, token=TOKEN):
    url = f"http://127.0.0.1:{server.server_address[1]}/RPC2"
    return mes_sim.client_proxy(url, "odoo", token)


def reporter_to(mes_sim, odoo_port, **kwargs):
    return mes_sim.OdooReporter(
        f"http://127.0.0.1:{odoo_port}", "db", "mes", key="secret-key", **kwargs
    )


def push(proxy, job_id, key, quantity=10.0, **extra):
    job = {"job_id": job_id, "idempotency_key": key, "quantity": quantity, **extra}
    return proxy.mes.push_job(job)


def wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_same_idempotency_key_never_creates_two_jobs(mes_sim, tmp_path):
    server = mes_sim.make_server("127.0.0.1", 0, str(tmp_path / "mes.sqlite3"), auth=AUTH)
    with running(server):
        proxy = proxy_to(mes_sim, server)
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
    with running(mes_sim.make_server("127.0.0.1", 0, db_file, auth=AUTH)) as server:
        push(proxy_to(mes_sim, server), "WH/MO/00002", "key-a")
    with running(mes_sim.make_server("127.0.0.1", 0, db_file, auth=AUTH)) as server:
        proxy = proxy_to(mes_sim, server)
        assert push(proxy, "WH/MO/00002", "key-a")["message"] == "job created"
        assert len(proxy.mes.list_jobs()) == 1


def test_cancel_and_refusals(mes_sim, tmp_path):
    server = mes_sim.make_server("127.0.0.1", 0, str(tmp_path / "m.sqlite3"), auth=AUTH)
    with running(server):
        proxy = proxy_to(mes_sim, server)
        push(proxy, "WH/MO/00003", "k3")
        assert proxy.mes.cancel_job("WH/MO/00003", "customer cancelled")["accepted"]
        assert proxy.mes.get_job("WH/MO/00003")["mes_state"] == "cancel"
        assert proxy.mes.cancel_job("WH/MO/00003", "again")["message"] == "job already cancelled"
        refused = push(proxy, "WH/MO/00003", "k4")
        assert not refused["accepted"] and "cannot be re-planned" in refused["message"]
        assert proxy.mes.cancel_job("WH/MO/NOPE", "")["accepted"]
        assert not proxy.mes.push_job({"job_id": "X"})["accepted"]


@pytest.mark.parametrize(
    "job, message",
    [
        ({"job_id": "J" * 129, "idempotency_key": "k", "quantity": 1}, "longer than 128"),
        ({"job_id": "J", "idempotency_key": "k", "quantity": -1}, "quantity must be"),
        ({"job_id": "J", "idempotency_key": "k", "quantity": 1e12}, "quantity must be"),
        ({"job_id": "J", "idempotency_key": "k", "quantity": "10"}, "quantity must be"),
        ({"job_id": 5, "idempotency_key": "k", "quantity": 1}, "job_id, a string"),
        (
            {"job_id": "J", "idempotency_key": "k", "quantity": 1, "operations": [{}] * 501},
            "operations must be",
        ),
        (["not", "a", "job"], "must be a struct"),
    ],
)
def test_malformed_jobs_are_refused_and_stored_nowhere(mes_sim, tmp_path, job, message):
    server = mes_sim.make_server("127.0.0.1", 0, str(tmp_path / "m.sqlite3"), auth=AUTH)
    with running(server):
        proxy = proxy_to(mes_sim, server)
        answer = proxy.mes.push_job(job)
        assert not answer["accepted"] and message in answer["message"]
        assert proxy.mes.list_jobs() == []


def test_credentials_and_site_are_checked(mes_sim, tmp_path):
    server = mes_sim.make_server(
        "127.0.0.1", 0, str(tmp_path / "m.sqlite3"), auth=("odoo", "pw"), site="plant-1"
    )
    with running(server):
        port = server.server_address[1]
        with pytest.raises(xmlrpc.client.ProtocolError, match="401"):
            xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/RPC2").mes.ping()
        with pytest.raises(xmlrpc.client.ProtocolError, match="401"):
            proxy_to(mes_sim, server, token="wrong").mes.ping()
        wrong_site = xmlrpc.client.ServerProxy(
            f"http://odoo:pw@127.0.0.1:{port}/RPC2", headers=[("X-MES-Site", "plant-2")]
        )
        with pytest.raises(xmlrpc.client.ProtocolError, match="403"):
            wrong_site.mes.ping()
        # As Odoo's MES client sends them (sbk_mes_bridge/tools/mes_client.py).
        good = xmlrpc.client.ServerProxy(
            f"http://odoo:pw@127.0.0.1:{port}/RPC2", headers=[("X-MES-Site", "plant-1")]
        )
        assert good.mes.ping() is True


def test_an_anonymous_server_refuses_run_job(mes_sim, tmp_path):
    odoo = FakeOdoo()
    server = mes_sim.make_server(
        "127.0.0.1", 0, str(tmp_path / "m.sqlite3"), odoo=reporter_to(mes_sim, odoo.port)
    )
    with running(odoo.server), running(server):
        proxy = proxy_to(mes_sim, server, token=None)
        push(proxy, "WH/MO/00010", "k10")
        with pytest.raises(xmlrpc.client.Fault, match="run_job needs an authenticated caller"):
            proxy.mes.run_job("WH/MO/00010", {})
        assert proxy.mes.get_job("WH/MO/00010")["mes_state"] == "queued"
        assert odoo.events == []


def test_request_size_and_job_steps_are_bounded(mes_sim, tmp_path):
    odoo = FakeOdoo()
    server = mes_sim.make_server(
        "127.0.0.1",
        0,
        str(tmp_path / "m.sqlite3"),
        odoo=reporter_to(mes_sim, odoo.port),
        auth=AUTH,
        speed=0,
        max_request_bytes=10_000,
    )
    with running(odoo.server), running(server):
        proxy = proxy_to(mes_sim, server)
        with pytest.raises(xmlrpc.client.ProtocolError, match="413"):
            push(proxy, "WH/MO/00011", "k11", notes="x" * 20_000)
        assert proxy.mes.list_jobs() == []
        push(proxy, "WH/MO/00011", "k11", quantity=5)
        for options, message in (
            ({"steps": 10**6}, "steps must be a whole number from 1 to 1000"),
            ({"steps": 0}, "steps must be"),
            ({"steps": 2, "partial": 1.5}, "partial must be"),
            ({"steps": 2, "scrap": 5}, "scrap must be"),
            ({"steps": 2, "speed": 0}, "unknown run_job options: speed"),
        ):
            with pytest.raises(xmlrpc.client.Fault, match=message):
                proxy.mes.run_job("WH/MO/00011", options)
        assert proxy.mes.get_job("WH/MO/00011")["mes_state"] == "queued"
        assert proxy.mes.stats()["events"] == {}


def test_running_a_job_reports_started_progress_scrap_and_done(mes_sim, tmp_path):
    odoo = FakeOdoo()
    server = mes_sim.make_server(
        "127.0.0.1",
        0,
        str(tmp_path / "m.sqlite3"),
        odoo=reporter_to(mes_sim, odoo.port),
        auth=AUTH,
        speed=0,
    )
    with running(odoo.server), running(server):
        proxy = proxy_to(mes_sim, server)
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
        assert proxy.mes.get_job("WH/MO/00004")["qty_reported"] == pytest.approx(9.0)


def run_many_jobs(mes_sim, tmp_path, odoo, jobs=6):
    server = mes_sim.make_server(
        "127.0.0.1",
        0,
        str(tmp_path / "m.sqlite3"),
        odoo=reporter_to(mes_sim, odoo.port, batch_size=10),
        auth=AUTH,
        speed=0,
    )
    with running(odoo.server), running(server):
        proxy = proxy_to(mes_sim, server)
        names = [f"WH/MO/1{number:04d}" for number in range(jobs)]
        for name in names:
            push(proxy, name, f"key-{name}", quantity=4)
        for name in names:
            proxy.mes.run_job(name, {"steps": 4})
        assert wait_for(
            lambda: all(proxy.mes.get_job(name)["mes_state"] == "done" for name in names)
        )
        return names, proxy.mes.stats()


def test_reports_of_several_jobs_go_in_batches_when_odoo_takes_them(mes_sim, tmp_path):
    odoo = FakeOdoo(batches=True, delay=0.05)
    names, stats = run_many_jobs(mes_sim, tmp_path, odoo)
    assert len(odoo.events) == len(names) * 5
    assert len({e["message_id"] for e in odoo.events}) == len(odoo.events)
    assert max(odoo.calls) > 1, odoo.calls
    assert sum(odoo.calls) == len(odoo.events)
    assert stats["batches"] is True
    for name in names:
        kinds = [e["event"] for e in odoo.events if e["job_id"] == name]
        assert kinds == ["started", "progress", "progress", "progress", "done"]


def test_reports_go_one_by_one_to_an_odoo_without_batches(mes_sim, tmp_path):
    odoo = FakeOdoo(batches=False, delay=0.05)
    names, stats = run_many_jobs(mes_sim, tmp_path, odoo)
    assert len(odoo.events) == len(names) * 5
    assert len({e["message_id"] for e in odoo.events}) == len(odoo.events)
    assert stats["batches"] is False
    # The one refused batch, then one event per call.
    assert odoo.calls.count(1) == len(odoo.events)
    assert len([size for size in odoo.calls if size > 1]) == 1


def test_reporting_waits_for_odoo_to_come_back(mes_sim, tmp_path):
    port = free_port()
    server = mes_sim.make_server(
        "127.0.0.1",
        0,
        str(tmp_path / "m.sqlite3"),
        odoo=reporter_to(mes_sim, port),
        auth=AUTH,
        speed=0,
    )
    with running(server):
        proxy = proxy_to(mes_sim, server)
        push(proxy, "WH/MO/00005", "k", quantity=4)
        proxy.mes.run_job("WH/MO/00005", {"steps": 2})
        time.sleep(1.0)  # Odoo is down: the first event waits
        odoo = FakeOdoo(port=port)
        with running(odoo.server):
            assert wait_for(lambda: len(odoo.events) == 3, timeout=30)
        assert sum(e["qty_done"] for e in odoo.events) == 4.0


def test_a_refused_event_stops_the_run(mes_sim, tmp_path):
    odoo = FakeOdoo(refuse_after=1)
    server = mes_sim.make_server(
        "127.0.0.1",
        0,
        str(tmp_path / "m.sqlite3"),
        odoo=reporter_to(mes_sim, odoo.port),
        auth=AUTH,
        speed=0,
    )
    with running(odoo.server), running(server):
        proxy = proxy_to(mes_sim, server)
        push(proxy, "WH/MO/00006", "k", quantity=4)
        proxy.mes.run_job("WH/MO/00006", {"steps": 2})
        assert wait_for(lambda: proxy.mes.stats()["events"].get("rejected") == 1)
        assert len(odoo.events) == 1
        assert proxy.mes.get_job("WH/MO/00006")["mes_state"] == "error"


def start_simulator(tmp_path, port, odoo_port, *extra, env=None):
    """mes_sim.py in its own process, its secrets from files."""
    (tmp_path / "token").write_text(TOKEN + "\n")
    (tmp_path / "key").write_text("secret-key\n")
    return subprocess.Popen(
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
            f"http://127.0.0.1:{odoo_port}",
            "--odoo-db",
            "db",
            "--odoo-login",
            "mes",
            "--odoo-key-file",
            str(tmp_path / "key"),
            "--auth-token-file",
            str(tmp_path / "token"),
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def wait_up(mes_sim, port):
    proxy = mes_sim.client_proxy(f"http://127.0.0.1:{port}/RPC2", "odoo", TOKEN)

    def up():
        try:
            return proxy.mes.ping()
        except OSError:
            return False

    assert wait_for(up)
    return proxy


def test_pending_reports_are_sent_after_a_restart(mes_sim, tmp_path):
    port, odoo_port = free_port(), free_port()
    process = start_simulator(tmp_path, port, odoo_port, "--speed", "0")
    try:
        proxy = wait_up(mes_sim, port)
        push(proxy, "WH/MO/00008", "k8", quantity=6)
        proxy.mes.run_job("WH/MO/00008", {"steps": 3})
        # Odoo is down: the first report waits, stored; then the MES dies.
        assert wait_for(lambda: proxy.mes.stats()["events"].get("pending") == 1)
        process.kill()
        process.wait(10)
        odoo = FakeOdoo(port=odoo_port)
        with running(odoo.server):
            process = start_simulator(tmp_path, port, odoo_port, "--speed", "0")
            proxy = wait_up(mes_sim, port)
            assert wait_for(lambda: proxy.mes.get_job("WH/MO/00008")["mes_state"] == "done")
        assert [e["event"] for e in odoo.events] == ["started", "progress", "progress", "done"]
        # Resent as they were stored: the same ids, this installation's mark included.
        ids = [e["message_id"] for e in odoo.events]
        mark = ids[0].rsplit("-", 1)[1]
        assert ids == [f"MES-00001-r1-{n}-{mark}" for n in (1, 2, 3, 4)]
        assert sum(e["qty_done"] for e in odoo.events) == 6.0
        assert proxy.mes.stats()["events"] == {"sent": 4}
    finally:
        process.terminate()
        process.wait(10)


def test_the_server_needs_a_token_and_takes_no_secret_on_its_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("MES_AUTH_TOKEN", "MES_ODOO_KEY")}
    base = [sys.executable, str(SIMULATOR), "--port", str(free_port())]
    refused = subprocess.run(base, capture_output=True, text=True, env=env, timeout=30)
    assert refused.returncode == 2
    assert "set MES_AUTH_TOKEN or --auth-token-file" in refused.stderr
    anywhere = subprocess.run(
        [*base, "--no-auth", "--host", "0.0.0.0"], capture_output=True, text=True, env=env
    )
    assert anywhere.returncode == 2 and "--no-auth serves loopback only" in anywhere.stderr
    for option in ("--odoo-key", "--auth"):
        old = subprocess.run(
            [*base, option, "secret"], capture_output=True, text=True, env=env, timeout=30
        )
        assert old.returncode == 2 and "unrecognized arguments" in old.stderr


def test_command_line_server_and_client(mes_sim, tmp_path):
    port = free_port()
    env = dict(os.environ, MES_AUTH_TOKEN=TOKEN, MES_ODOO_KEY="secret-key")
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
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/RPC2"
        wait_up(mes_sim, port)
        with pytest.raises(xmlrpc.client.ProtocolError, match="401"):
            xmlrpc.client.ServerProxy(url).mes.ping()
        proxy = xmlrpc.client.ServerProxy(f"http://odoo:{TOKEN}@127.0.0.1:{port}/RPC2")
        push(proxy, "WH/MO/00007", "k7", product="MCL18")
        listing = subprocess.run(
            [sys.executable, str(SIMULATOR), "list", "--url", url],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        assert "WH/MO/00007" in listing and "MES-00001" in listing and "MCL18" in listing
    finally:
        process.terminate()
        process.wait(10)
