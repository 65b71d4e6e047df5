"""MES progress reports under load, on Odoo's threaded and prefork servers, one event per call
and in batches.

For each server mode (``threaded``: workers 0 and a cron thread; ``prefork``: two HTTP worker
processes and a cron worker, as production runs it) and each call style (``single``: one event
per ``report_progress`` call; ``batch``: a list of events per call, falling back to single
events on an Odoo without the batch call), on fresh manufacturing orders:

- 50 MOs of a product whose two components are storable and in stock (reserved at
  confirmation), released to the MES: confirming pushes their jobs to a reference MES
  (``mes_simulator``, in this process) through Odoo's outbox and cron;
- 4 concurrent MES clients, authenticated with the MES user's API key, send 2,000 events:
  progress reports in random order (events of one MO race across clients), then one ``done``
  per MO, which closes it and moves its stock; 5 % of the events are sent a second time (same
  ``message_id``, as an MES does after a lost answer), ``done`` included;
- halfway through, the server is killed (SIGKILL, every process) and started again; the
  clients retry on connection errors.

It prints events/s, SQL queries per event (Odoo's own count, from its request log), lost and
doubled events (both must be 0: every MO's produced quantity equals the sum of its distinct
events and its components are consumed once), and the outbox latency: from the commit of a
confirmation to the job in the MES, with the MES up, and after an MES outage.

    python3 bench/bench_mes_progress.py --db sbk_bench --create
"""

import importlib.util
import random
import re
import statistics
import sys
import threading
import time
import uuid
import xmlrpc.client
from collections import Counter
from pathlib import Path

from common import ODOO_HOME, ROOT, addons_path, create_database, parser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "e2e"))
from servers import (  # noqa: E402 (path set above)
    Client,
    OdooServer,
    configure_outbox,
    free_port,
    make_stocked_light,
    wait_for,
)

RETRYABLE_FAULTS = ("could not serialize", "concurrent update", "deadlock")
MODES = {"threaded": 0, "prefork": 2}
TARGET_PREFORK = 300.0
# Odoo's request log: "POST /xmlrpc/2/object HTTP/1.1" 200 - <queries> <query s> <other s>
REQUEST_LINE = re.compile(r'"POST /xmlrpc/2/object HTTP/1\.\d" (\d+) - (\d+) ([\d.]+) ([\d.]+)')


def load_simulator():
    spec = importlib.util.spec_from_file_location("mes_sim", ROOT / "mes_simulator" / "mes_sim.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Mes:
    """The reference MES in this process, on a fixed port: stop and start it at will."""

    def __init__(self, folder):
        self.sim = load_simulator()
        self.port = free_port()
        self.db_file = str(Path(folder) / f"bench_mes_{uuid.uuid4().hex[:6]}.sqlite3")
        self.token = uuid.uuid4().hex
        self.url = f"http://127.0.0.1:{self.port}/RPC2"
        self.server = None

    def start(self):
        self.server = self.sim.make_server(
            "127.0.0.1", self.port, self.db_file, auth=("odoo", self.token)
        )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def has_job(self, name):
        return self.server is not None and self.server.service.store.job(name) is not None


def mes_user(admin):
    login = f"mes_bench_{uuid.uuid4().hex[:6]}"
    wizard = admin("sbk.mes.api.key.wizard", "create", {"login": login, "key_name": "bench"})
    action = admin("sbk.mes.api.key.wizard", "action_generate", [wizard])
    return login, action["context"]["default_key"]


def plan_events(mos, count, rng):
    """Per MO: progress events of 1 to 3 units, then one ``done`` of 1 unit; 5 % sent twice.

    Returns (distinct events, progress sends in random order, done sends, MO quantities).
    """
    per_mo = count // mos
    progress, dones, quantities = [], [], []
    for index in range(mos):
        quantities.append(0.0)
        for _step in range(per_mo - 1):
            qty = float(rng.choice((1, 2, 3)))
            quantities[index] += qty
            progress.append((index, {"event": "progress", "qty_done": qty}))
        quantities[index] += 1.0
        dones.append((index, {"event": "done", "qty_done": 1.0}))
    return progress, dones, quantities


def stamp(planned, names):
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return [
        {"message_id": f"bench-{uuid.uuid4()}", "job_id": names[index], "timestamp": now, **event}
        for index, event in planned
    ]


def with_repeats(events, share, rng):
    repeats = rng.sample(events, int(len(events) * share))
    sends = events + [dict(event) for event in repeats]
    rng.shuffle(sends)
    return sends


class Clients:
    """``clients`` threads sending events, one per call or ``batch`` per call."""

    def __init__(self, url, db, uid, key, clients, batch):
        self.url = url
        self.db = db
        self.uid = uid
        self.key = key
        self.clients = clients
        self.batch = batch
        self.batch_supported = batch > 1
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.faults = Counter()
        self.connection_retries = 0
        self.fault_retries = 0
        self.calls = 0
        self.sent = 0
        self.queue = []

    def _take(self):
        with self.lock:
            size = self.batch if self.batch_supported else 1
            taken, self.queue = self.queue[:size], self.queue[size:]
            return taken

    def _call(self, payload):
        while True:
            try:
                proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
                answer = proxy.execute_kw(
                    self.db, self.uid, self.key, "sbk.mes.bridge", "report_progress", [payload]
                )
                with self.lock:
                    self.calls += 1
                return answer
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

    def _send(self, events):
        if len(events) > 1:
            try:
                answers = self._call(events)
                if isinstance(answers, list):
                    return answers
            except xmlrpc.client.Fault as fault:
                if "dict" in fault.faultString or "struct" in fault.faultString:
                    # An Odoo without the batch call: one event per call from now on.
                    self.batch_supported = False
                # Else the batch was refused as a whole: each event gets its own answer.
        return [self._call_one(event) for event in events]

    def _call_one(self, event):
        try:
            return self._call(event)
        except xmlrpc.client.Fault as fault:
            # A refusal of one event: counted (and failing the run), the others go on.
            first = fault.faultString.strip().splitlines()[0][:80]
            with self.lock:
                self.faults[f"{event['event']}: Fault {fault.faultCode} {first}"] += 1
            return {"status": f"fault {fault.faultCode}"}

    def _work(self):
        while events := self._take():
            answers = self._send(events)
            with self.lock:
                for answer in answers:
                    self.statuses[answer.get("status", "refused")] += 1
                self.sent += len(events)

    def run(self, sends):
        self.queue = list(sends)
        threads = [threading.Thread(target=self._work) for _i in range(self.clients)]
        for thread in threads:
            thread.start()
        return threads


def request_stats(log_file, start, end):
    """Odoo's own count of the XML-RPC calls logged between two offsets of its log file."""
    with open(log_file, "rb") as log:
        log.seek(start)
        text = log.read(end - start).decode(errors="replace")
    calls = [tuple(map(float, match.groups())) for match in REQUEST_LINE.finditer(text)]
    return {
        "calls": len(calls),
        "queries": int(sum(call[1] for call in calls)),
        "seconds": sum(call[2] + call[3] for call in calls),
    }


def run_once(server, admin, mes, args, style, rng):
    """One bench run on fresh MOs; returns its figures (and exits on a mismatch)."""
    progress_plan, done_plan, quantities = plan_events(args.mos, args.events, rng)
    light, parts = make_stocked_light(admin, sum(quantities) * 2 + 100, name="Bench", code="BL")
    before = {
        p["id"]: p["qty_available"]
        for p in admin("product.product", "read", parts, ["qty_available"])
    }
    productions = admin(
        "mrp.production", "create", [{"product_id": light, "product_qty": q} for q in quantities]
    )
    confirmed = time.perf_counter()
    admin("mrp.production", "action_confirm", productions)
    confirmed_end = time.perf_counter()
    records = admin("mrp.production", "read", productions, ["name", "reservation_state"])
    names = [record["name"] for record in records]
    reserved = sum(record["reservation_state"] == "assigned" for record in records)
    delivered = wait_for(
        lambda: all(mes.has_job(name) for name in names), timeout=120, interval=0.02
    )
    push_seconds = time.perf_counter() - confirmed_end if delivered else float("nan")
    login, key = mes_user(admin)
    uid = Client(server.url, args.db, login, key).uid
    progress = stamp(progress_plan, names)
    dones = stamp(done_plan, names)
    events = progress + dones
    progress_sends = with_repeats(progress, args.duplicates, rng)
    done_sends = with_repeats(dones, args.duplicates, rng)
    total_sends = len(progress_sends) + len(done_sends)
    clients = Clients(
        server.url, args.db, uid, key, args.clients, args.batch if style == "batch" else 1
    )
    log_start = server.log_file.stat().st_size
    start = time.perf_counter()
    threads = clients.run(progress_sends)
    downtime = 0.0
    if not args.no_restart:
        while clients.sent < total_sends // 2 and any(t.is_alive() for t in threads):
            time.sleep(0.02)
        stopped = time.perf_counter()
        sent_at_kill = clients.sent
        server.kill()
        server.start()
        downtime = time.perf_counter() - stopped
    for thread in threads:
        thread.join()
    # The done events once every progress report is answered: a done closes its MO.
    for thread in clients.run(done_sends):
        thread.join()
    elapsed = time.perf_counter() - start
    requests = request_stats(server.log_file, log_start, server.log_file.stat().st_size)
    figures = verify(admin, productions, names, events, quantities, parts, before, clients)
    figures.update(
        style=style if clients.batch_supported or style == "single" else "batch→single",
        events=len(events),
        sends=total_sends,
        elapsed=elapsed,
        downtime=downtime,
        per_second=len(events) / elapsed,
        per_second_up=len(events) / (elapsed - downtime),
        calls=clients.calls,
        queries=requests["queries"],
        logged_calls=requests["calls"],
        statuses=dict(clients.statuses),
        faults=dict(clients.faults),
        connection_retries=clients.connection_retries,
        fault_retries=clients.fault_retries,
        reserved=reserved,
        confirm_seconds=confirmed_end - confirmed,
        push_seconds=push_seconds,
        killed_after=None if args.no_restart else sent_at_kill,
    )
    return figures


def verify(admin, productions, names, events, quantities, parts, before, clients):
    records = admin(
        "mrp.production", "read", productions, ["name", "state", "qty_produced", "product_qty"]
    )
    wrong = [
        (r["name"], r["state"], r["qty_produced"], quantities[i])
        for i, r in enumerate(records)
        if r["state"] != "done" or abs(r["qty_produced"] - quantities[i]) > 1e-6
    ]
    ids = [event["message_id"] for event in events]
    recorded = admin("sbk.mes.event", "search_read", [("message_id", "in", ids)], ["message_id"])
    distinct = {row["message_id"] for row in recorded}
    lost = len(set(ids) - distinct)
    doubled = len(recorded) - len(distinct)
    after = {
        p["id"]: p["qty_available"]
        for p in admin("product.product", "read", parts, ["qty_available"])
    }
    expected_use = sum(quantities) * 2
    stock_wrong = [p for p in parts if abs(before[p] - after[p] - expected_use) > 1e-6]
    answered = clients.statuses["applied"] + clients.statuses["duplicate"]
    figures = {
        "lost": lost,
        "doubled": doubled,
        "wrong_mos": wrong,
        "stock_wrong": stock_wrong,
        "produced": sum(r["qty_produced"] for r in records),
        "expected": sum(quantities),
        "consumed": sum(before[p] - after[p] for p in parts),
    }
    if wrong or lost or doubled or stock_wrong or answered != clients.sent:
        print(f"MISMATCH: {figures}, answers {dict(clients.statuses)}, sent {clients.sent}")
        figures["mismatch"] = True
    return figures


def outbox_latency(server, admin, mes, light, samples):
    """Seconds from a confirmation's commit to its job in the MES: MES up, then after an outage."""
    up = []
    for _i in range(samples):
        production = admin("mrp.production", "create", {"product_id": light, "product_qty": 1})
        admin("mrp.production", "action_confirm", [production])
        committed = time.perf_counter()
        name = admin("mrp.production", "read", [production], ["name"])[0]["name"]
        if wait_for(lambda name=name: mes.has_job(name), timeout=90, interval=0.01):
            up.append(time.perf_counter() - committed)
    mes.stop()
    production = admin("mrp.production", "create", {"product_id": light, "product_qty": 1})
    admin("mrp.production", "action_confirm", [production])
    name = admin("mrp.production", "read", [production], ["name"])[0]["name"]

    def failed():
        messages = admin(
            "sbk.mes.message", "search_read", [("production_id", "=", production)], ["state"]
        )
        return messages and messages[0]["state"] == "failed"

    wait_for(failed, timeout=90, interval=0.1)
    mes.start()
    back = time.perf_counter()
    after_outage = None
    if wait_for(lambda: mes.has_job(name), timeout=150, interval=0.02):
        after_outage = time.perf_counter() - back
    return up, after_outage


def bench_mode(mode, args, rng):
    log_file = ROOT / ".test-logs" / f"bench_mes_odoo_{mode}.log"
    log_file.unlink(missing_ok=True)
    server = OdooServer(
        sys.executable,
        str(ODOO_HOME),
        addons_path(),
        args.db,
        log_file,
        port=args.port or None,
        cron_threads=1,
        workers=MODES[mode],
    ).start()
    mes = Mes(ROOT / ".test-logs").start()
    results = []
    try:
        admin = Client(server.url, args.db, "admin", "admin")
        configure_outbox(admin, mes.url, mes.token)
        for style in args.styles.split(","):
            print(
                f"[{mode} ({server.mode}), {style}] {args.clients} clients, {args.events} events"
                f" on {args.mos} MOs, {int(args.duplicates * 100)} % sent twice",
                flush=True,
            )
            figures = run_once(server, admin, mes, args, style, rng)
            figures["mode"] = mode
            report(figures)
            results.append(figures)
        light, _parts = make_stocked_light(admin, 100, name="Bench", code="BL")
        up, after_outage = outbox_latency(server, admin, mes, light, args.latency_samples)
        print(
            f"[{mode}] outbox latency, commit to job in the MES: median "
            f"{statistics.median(up) if up else float('nan'):.3f} s, max "
            f"{max(up) if up else float('nan'):.3f} s over {len(up)} MOs; after an MES outage, "
            f"from the MES back up to the job in it: "
            + (f"{after_outage:.2f} s" if after_outage is not None else "not within 150 s"),
            flush=True,
        )
        for figures in results:
            figures["latency_median"] = statistics.median(up) if up else None
            figures["latency_max"] = max(up) if up else None
            figures["latency_outage"] = after_outage
    finally:
        mes.stop()
        server.stop()
    return results


def report(f):
    print(
        f"  {f['events']} events ({f['sends']} sends) in {f['elapsed']:.1f} s: "
        f"{f['per_second']:.1f} events/s; without the restart's downtime "
        f"({f['downtime']:.1f} s, killed after {f['killed_after']} sends) "
        f"{f['per_second_up']:.1f} events/s",
        flush=True,
    )
    print(
        f"  {f['calls']} calls ({f['logged_calls']} in Odoo's log), {f['queries']} queries: "
        f"{f['queries'] / f['events']:.1f} queries per event; answers {f['statuses']}; retries "
        f"after connection errors {f['connection_retries']}, after serialization faults "
        f"{f['fault_retries']}",
        flush=True,
    )
    for fault, count in f["faults"].items():
        print(f"  REFUSED {count} x {fault}", flush=True)
    print(
        f"  lost {f['lost']}, doubled {f['doubled']}; produced {f['produced']:g} = expected "
        f"{f['expected']:g}; components consumed {f['consumed']:g} (expected "
        f"{f['expected'] * 4:g}); {f['reserved']} of the MOs reserved at confirmation; "
        f"confirming them {f['confirm_seconds']:.1f} s, their jobs in the MES "
        f"{f['push_seconds']:.1f} s later",
        flush=True,
    )


def main():
    args = parser(__doc__)
    args.add_argument("--port", type=int, default=0, help="Odoo's HTTP port (default: free)")
    args.add_argument("--modes", default="threaded,prefork")
    args.add_argument("--styles", default="single,batch")
    args.add_argument("--batch", type=int, default=50, help="events per call in batch style")
    args.add_argument("--clients", type=int, default=4)
    args.add_argument("--events", type=int, default=2000)
    args.add_argument("--mos", type=int, default=50)
    args.add_argument("--duplicates", type=float, default=0.05)
    args.add_argument("--latency-samples", type=int, default=5)
    args.add_argument("--no-restart", action="store_true")
    args = args.parse_args()
    if args.create:
        create_database(args.db)
    rng = random.Random(19)
    results = []
    for mode in args.modes.split(","):
        results.extend(bench_mode(mode, args, rng))
    print("\nSummary (events/s including the kill and restart; queries per event):")
    for f in results:
        print(
            f"  {f['mode']:<9} {f['style']:<13} {f['per_second']:7.1f} events/s "
            f"({f['per_second_up']:7.1f} without downtime)  {f['queries'] / f['events']:5.1f} "
            f"queries/event  lost {f['lost']} doubled {f['doubled']}"
        )
    prefork = [f["per_second"] for f in results if f["mode"] == "prefork"]
    if prefork:
        best = max(prefork)
        verdict = "met" if best >= TARGET_PREFORK else "NOT met"
        print(f"  target: {TARGET_PREFORK:g} events/s on prefork: best {best:.1f}, {verdict}")
    if any(f.get("mismatch") for f in results):
        sys.exit("MISMATCH: events lost or doubled, wrong quantities or stock, or refused (above)")


if __name__ == "__main__":
    main()
