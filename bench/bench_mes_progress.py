"""MES progress reports under load: 4 MES clients, 2,000 events, 50 MOs, one server restart.

A real Odoo HTTP server (threaded, workers 0) on loopback serves ``sbk.mes.bridge`` to four
concurrent XML-RPC clients authenticated with the MES user's API key. They send 2,000 progress
events spread over 50 manufacturing orders, 5 % of them sent a second time (the same
``message_id``, as an MES does after a lost answer); halfway through, the server is killed and
started again, and the clients retry on connection errors. At the end every MO's produced
quantity must equal the sum of its distinct events exactly, and each event be recorded once.

    python3 bench/bench_mes_progress.py --db sbk_bench --create
"""

import random
import sys
import threading
import time
import uuid
import xmlrpc.client
from collections import Counter
from pathlib import Path

from common import ODOO_HOME, ROOT, addons_path, create_database, parser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "e2e"))
from servers import Client, OdooServer  # noqa: E402 (found through the path set above)

RETRYABLE_FAULTS = ("could not serialize", "concurrent update", "deadlock")


def setup(admin, mos, quantity):
    """A product, ``mos`` confirmed MOs of it and a MES user with an API key."""
    admin("ir.config_parameter", "set_param", "sbk_mes_bridge.auto_push", "False")
    admin("ir.config_parameter", "set_param", "sbk_mes_bridge.tolerance", "0")
    suffix = uuid.uuid4().hex[:6]
    parts = [
        admin("product.product", "create", {"name": f"Bench Part {i} {suffix}", "type": "consu"})
        for i in (1, 2)
    ]
    light = admin(
        "product.product",
        "create",
        {"name": f"Bench Light {suffix}", "default_code": f"BL{suffix}", "is_storable": True},
    )
    template = admin("product.product", "read", [light], ["product_tmpl_id"])[0]
    admin(
        "mrp.bom",
        "create",
        {
            "product_tmpl_id": template["product_tmpl_id"][0],
            "product_qty": 1,
            "bom_line_ids": [(0, 0, {"product_id": p, "product_qty": 2}) for p in parts],
        },
    )
    productions = admin(
        "mrp.production",
        "create",
        [{"product_id": light, "product_qty": quantity} for _i in range(mos)],
    )
    admin("mrp.production", "action_confirm", productions)
    names = {r["id"]: r["name"] for r in admin("mrp.production", "read", productions, ["name"])}
    wizard = admin(
        "sbk.mes.api.key.wizard", "create", {"login": f"mes_bench_{suffix}", "key_name": "bench"}
    )
    admin("sbk.mes.api.key.wizard", "action_generate", [wizard])
    wizard_data = admin("sbk.mes.api.key.wizard", "read", [wizard], ["key", "user_id"])[0]
    return names, f"mes_bench_{suffix}", wizard_data["key"]


def plan_events(names, count, duplicate_share, seed=18):
    rng = random.Random(seed)
    ids = sorted(names)
    events = []
    for number in range(count):
        production = ids[number % len(ids)]
        events.append(
            {
                "message_id": f"bench-{uuid.uuid4()}",
                "job_id": names[production],
                "event": "progress",
                "qty_done": float(rng.choice((1, 2, 3))),
                "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
        )
    # In random order, so that clients often report on the same MO at the same time; the
    # repeats too (sometimes before their first copy: either way one of them is applied).
    repeats = rng.sample(events, int(count * duplicate_share))
    sends = events + [dict(event) for event in repeats]
    rng.shuffle(sends)
    return events, sends


class Clients:
    def __init__(self, url, db, login, key, sends, clients):
        self.url = url
        self.db = db
        self.login = login
        self.key = key
        self.queue = list(sends)
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.connection_retries = 0
        self.fault_retries = 0
        self.sent = 0
        self.clients = clients
        self.uid = None

    def _next(self):
        with self.lock:
            return self.queue.pop(0) if self.queue else None

    def _send(self, event):
        while True:
            try:
                proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
                return proxy.execute_kw(
                    self.db, self.uid, self.key, "sbk.mes.bridge", "report_progress", [event]
                )
            except (OSError, xmlrpc.client.ProtocolError):
                with self.lock:
                    self.connection_retries += 1
                time.sleep(0.2)
            except xmlrpc.client.Fault as fault:
                if not any(text in fault.faultString for text in RETRYABLE_FAULTS):
                    raise
                with self.lock:
                    self.fault_retries += 1
                time.sleep(0.05)

    def _work(self):
        while (event := self._next()) is not None:
            answer = self._send(event)
            with self.lock:
                self.statuses[answer["status"]] += 1
                self.sent += 1

    def run(self):
        threads = [threading.Thread(target=self._work) for _i in range(self.clients)]
        for thread in threads:
            thread.start()
        return threads


def main():
    args = parser(__doc__)
    args.add_argument("--port", type=int, default=8350, help="Odoo's HTTP port (loopback)")
    args.add_argument("--clients", type=int, default=4)
    args.add_argument("--events", type=int, default=2000)
    args.add_argument("--mos", type=int, default=50)
    args.add_argument("--duplicates", type=float, default=0.05)
    args.add_argument("--no-restart", action="store_true")
    args = args.parse_args()
    if args.create:
        create_database(args.db)
    log_file = ROOT / ".test-logs" / "bench_mes_odoo.log"
    log_file.unlink(missing_ok=True)
    server = OdooServer(
        sys.executable,
        str(ODOO_HOME),
        addons_path(),
        args.db,
        log_file,
        port=args.port,
        cron_threads=0,
    ).start()
    try:
        admin = Client(server.url, args.db, "admin", "admin")
        per_mo = args.events // args.mos
        # Room for every event (3 units at most): the events never hit the quantity check.
        names, login, key = setup(admin, args.mos, quantity=per_mo * 3 + 10)
        events, sends = plan_events(names, args.events, args.duplicates)
        clients = Clients(server.url, args.db, login, key, sends, args.clients)
        clients.uid = Client(server.url, args.db, login, key).uid
        print(
            f"{args.clients} clients, {len(events)} events ({len(sends) - len(events)} sent "
            f"twice) on {args.mos} MOs, server restart: {not args.no_restart}"
        )
        start = time.perf_counter()
        threads = clients.run()
        downtime = 0.0
        if not args.no_restart:
            while clients.sent < len(sends) // 2:
                time.sleep(0.05)
            stopped = time.perf_counter()
            print(f"  killing the server after {clients.sent} sends")
            server.process.send_signal(9)
            server.process.wait(30)
            server.start()
            downtime = time.perf_counter() - stopped
            print(f"  server back after {downtime:.1f} s")
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        verify(admin, names, events, clients)
        print(
            f"  {len(events)} events in {elapsed:.1f} s: {len(events) / elapsed:.1f} events/s "
            f"({len(sends) / elapsed:.1f} calls/s); without the restart's downtime "
            f"{len(events) / (elapsed - downtime):.1f} events/s"
        )
        print(
            f"  answers {dict(clients.statuses)}, retries after connection errors "
            f"{clients.connection_retries}, after serialization faults {clients.fault_retries}"
        )
        retried = log_file.read_text(errors="replace").count("tries left, try again")
        print(f"  calls Odoo retried itself after a serialization failure: {retried}")
    finally:
        server.stop()


def verify(admin, names, events, clients):
    expected = Counter()
    for event in events:
        expected[event["job_id"]] += event["qty_done"]
    productions = admin(
        "mrp.production", "read", list(names), ["name", "qty_producing", "sbk_mes_job_id"]
    )
    wrong = [
        (p["name"], p["qty_producing"], expected[p["sbk_mes_job_id"] or p["name"]])
        for p in productions
        if p["qty_producing"] != expected[p["sbk_mes_job_id"] or p["name"]]
    ]
    recorded = admin("sbk.mes.event", "search_count", [("production_id", "in", list(names))])
    total = sum(p["qty_producing"] for p in productions)
    print(
        f"  verified: {len(productions)} MOs, produced {total:g} = expected "
        f"{sum(expected.values()):g}; {recorded} events recorded for {len(events)} sent"
    )
    # An event applied just before the kill, whose answer was lost, comes back "duplicate"
    # when the client sends it again: the records and the quantities are the proof.
    answered = clients.statuses["applied"] + clients.statuses["duplicate"]
    if wrong or recorded != len(events) or answered != clients.sent:
        sys.exit(f"MISMATCH: {wrong[:10]}, recorded {recorded}, answers {clients.statuses}")


if __name__ == "__main__":
    main()
