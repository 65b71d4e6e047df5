#!/usr/bin/env python3
"""Reference MES simulator for SBK Trade Bridge: the MES side of the contract in API.md.

Standard library only (no Odoo import). It serves XML-RPC on ``http://HOST:PORT/RPC2``:

- ``mes.push_job(job)`` -> ``{"accepted", "mes_ref", "message"}``: stores the job in SQLite.
  The same ``idempotency_key`` again returns the first answer and changes nothing; a new key
  for a known ``job_id`` is a re-plan (quantity, dates, operations updated).
- ``mes.cancel_job(job_id, reason)`` -> ``{"accepted", "message"}``: stops the job.
- helpers: ``mes.list_jobs()``, ``mes.get_job(job_id)``, ``mes.run_job(job_id, options)``
  (produce the job: report ``started``, ``progress`` and ``done`` events to Odoo through its
  external API, with the API key given on the command line), ``mes.stats()``, ``mes.ping()``.

Server:
    python3 mes_simulator/mes_sim.py --host 127.0.0.1 --port 8070 --db-file mes.sqlite3 \\
        --odoo-url http://127.0.0.1:8069 --odoo-db sbk_demo --odoo-login mes --odoo-key KEY

Client (watch and drive the jobs of a running simulator):
    python3 mes_simulator/mes_sim.py list [--url http://127.0.0.1:8070/RPC2]
    python3 mes_simulator/mes_sim.py show JOB_ID
    python3 mes_simulator/mes_sim.py run JOB_ID [--steps 4] [--scrap 1] [--partial 0.5]
"""

import argparse
import base64
import contextlib
import json
import logging
import os
import signal
import socketserver
import sqlite3
import sys
import threading
import time
import xmlrpc.client
from datetime import datetime, timezone
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

_logger = logging.getLogger("mes_sim")

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    mes_ref TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    quantity REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    qty_reported REAL NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pushes (
    idempotency_key TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    received TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    message_id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    answer TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""


def utcnow():
    return datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)


def iso(moment):
    return moment.isoformat() + "Z"


class Store:
    """The simulator's jobs, in SQLite; one lock serialises every access."""

    def __init__(self, path):
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        with self.lock:
            self.db.executescript(SCHEMA)

    @contextlib.contextmanager
    def transaction(self):
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def bump(self, db, name):
        db.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1",
            (name,),
        )
        return db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]

    def job(self, job_id):
        with self.lock:
            row = self.db.execute("SELECT * FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        return self._job_dict(row) if row else None

    def jobs(self):
        with self.lock:
            rows = self.db.execute("SELECT * FROM jobs ORDER BY created, job_id").fetchall()
        return [self._job_dict(row) for row in rows]

    @staticmethod
    def _job_dict(row):
        job = json.loads(row["payload"])
        job.update(
            mes_ref=row["mes_ref"],
            mes_state=row["state"],
            qty_reported=row["qty_reported"],
            revision=row["revision"],
            idempotency_key=row["idempotency_key"],
        )
        return job


class MesService:
    """The XML-RPC methods (``mes.*``)."""

    REQUIRED = ("job_id", "idempotency_key", "quantity")

    def __init__(self, store, odoo=None, speed=1.0, auto_run=False):
        self.store = store
        self.odoo = odoo
        self.speed = speed
        self.auto_run = auto_run
        self.runners = {}

    # -- contract ------------------------------------------------------------------------------

    def push_job(self, job):
        if not isinstance(job, dict) or any(not job.get(key) for key in self.REQUIRED):
            return {
                "accepted": False,
                "mes_ref": "",
                "message": f"a job needs {', '.join(self.REQUIRED)}",
            }
        key = job["idempotency_key"]
        now = iso(utcnow())
        with self.store.transaction() as db:
            db_counter = self.store.bump(db, "push_calls")
            seen = db.execute("SELECT answer FROM pushes WHERE idempotency_key = ?", (key,))
            seen = seen.fetchone()
            if seen:
                _logger.info(
                    "push %s: key %s seen before (call %s)", job["job_id"], key, db_counter
                )
                return json.loads(seen["answer"])
            row = db.execute("SELECT * FROM jobs WHERE job_id = ?", (job["job_id"],)).fetchone()
            payload = json.dumps(job, sort_keys=True)
            if row is None:
                mes_ref = f"MES-{self.store.bump(db, 'jobs'):05d}"
                db.execute(
                    "INSERT INTO jobs (job_id, mes_ref, idempotency_key, payload, quantity, "
                    "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (job["job_id"], mes_ref, key, payload, float(job["quantity"]), now, now),
                )
                answer = {"accepted": True, "mes_ref": mes_ref, "message": "job created"}
            elif row["state"] in ("done", "cancel"):
                answer = {
                    "accepted": False,
                    "mes_ref": row["mes_ref"],
                    "message": f"job {job['job_id']} is {row['state']}: it cannot be re-planned",
                }
            else:
                db.execute(
                    "UPDATE jobs SET idempotency_key = ?, payload = ?, quantity = ?, "
                    "revision = revision + 1, updated = ? WHERE job_id = ?",
                    (key, payload, float(job["quantity"]), now, job["job_id"]),
                )
                answer = {"accepted": True, "mes_ref": row["mes_ref"], "message": "job re-planned"}
            db.execute(
                "INSERT INTO pushes (idempotency_key, job_id, answer, received) "
                "VALUES (?, ?, ?, ?)",
                (key, job["job_id"], json.dumps(answer), now),
            )
        _logger.info("push %s: %s", job["job_id"], answer["message"])
        if self.auto_run and answer["accepted"] and answer["message"] == "job created":
            self.run_job(job["job_id"], {})
        return answer

    def cancel_job(self, job_id, reason=""):
        with self.store.transaction() as db:
            self.store.bump(db, "cancel_calls")
            row = db.execute("SELECT state FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
            if row is None:
                # Nothing runs under that name: the cancellation has nothing left to do.
                return {"accepted": True, "message": f"unknown job {job_id}: nothing to cancel"}
            if row["state"] == "cancel":
                return {"accepted": True, "message": "job already cancelled"}
            if row["state"] == "done":
                return {"accepted": False, "message": f"job {job_id} is done"}
            db.execute(
                "UPDATE jobs SET state = 'cancel', updated = ? WHERE job_id = ?",
                (iso(utcnow()), job_id),
            )
        _logger.info("cancel %s: %s", job_id, reason)
        return {"accepted": True, "message": "job cancelled"}

    # -- helpers -------------------------------------------------------------------------------

    def ping(self):
        return True

    def list_jobs(self):
        return self.store.jobs()

    def get_job(self, job_id):
        return self.store.job(job_id) or {}

    def stats(self):
        with self.store.lock:
            counters = dict(self.store.db.execute("SELECT name, value FROM counters").fetchall())
            states = dict(
                self.store.db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()
            )
            events = dict(
                self.store.db.execute(
                    "SELECT state, COUNT(*) FROM events GROUP BY state"
                ).fetchall()
            )
        return {"counters": counters, "jobs": states, "events": events}

    def run_job(self, job_id, options=None):
        """Produce the job in a background thread, reporting to Odoo.

        ``options``: ``steps`` (progress events, default 4), ``scrap`` (units scrapped midway),
        ``partial`` (share of the quantity made before ``done``, default 1.0: all of it).
        """
        options = options or {}
        job = self.store.job(job_id)
        if not job:
            raise ValueError(f"unknown job {job_id}")
        if job["mes_state"] in ("done", "cancel"):
            raise ValueError(f"job {job_id} is {job['mes_state']}")
        if self.odoo is None:
            raise ValueError("no Odoo to report to: start the simulator with --odoo-url etc.")
        runner = self.runners.get(job_id)
        if runner and runner.is_alive():
            return {"running": True, "message": "already running"}
        runner = threading.Thread(
            target=self._run, args=(job_id, options), name=f"run-{job_id}", daemon=True
        )
        self.runners[job_id] = runner
        runner.start()
        return {"running": True, "message": "started"}

    def _plan_events(self, job, options):
        quantity = float(job["quantity"])
        steps = max(int(options.get("steps", 4)), 1)
        scrap = float(options.get("scrap", 0))
        made = round(quantity * float(options.get("partial", 1.0)) - scrap, 6)
        operations = job.get("operations") or []
        first_op = operations[0]["name"] if operations else None
        events = [{"event": "started", "operation": first_op}]
        per_step = [round(made / steps, 6)] * steps
        per_step[-1] = round(made - sum(per_step[:-1]), 6)
        for index, qty in enumerate(per_step[:-1]):
            events.append({"event": "progress", "qty_done": qty})
            if scrap and index == 0:
                events.append({"event": "scrap", "qty_scrap": scrap})
        if scrap and steps == 1:
            events.append({"event": "scrap", "qty_scrap": scrap})
        events.append({"event": "done", "qty_done": per_step[-1]})
        return events

    def _run(self, job_id, options):
        job = self.store.job(job_id)
        pause = 1.0 / self.speed if self.speed > 0 else 0.0
        revision = job["revision"]
        for number, planned in enumerate(self._plan_events(job, options), start=1):
            current = self.store.job(job_id)
            if current["mes_state"] == "cancel":
                _logger.info("run %s: cancelled, stopping", job_id)
                return
            message_id = f"{current['mes_ref']}-r{revision}-{number}"
            event = {
                "message_id": message_id,
                "job_id": job_id,
                "timestamp": iso(utcnow()),
                "qty_done": 0.0,
                "qty_scrap": 0.0,
                **{k: v for k, v in planned.items() if v is not None},
            }
            with self.store.transaction() as db:
                db.execute(
                    "INSERT OR IGNORE INTO events (message_id, job_id, payload) VALUES (?, ?, ?)",
                    (message_id, job_id, json.dumps(event)),
                )
                state = "done" if event["event"] == "done" else "running"
                db.execute(
                    "UPDATE jobs SET state = ?, qty_reported = qty_reported + ?, updated = ? "
                    "WHERE job_id = ?",
                    (state, event["qty_done"], iso(utcnow()), job_id),
                )
            answer = self.odoo.report(event)
            with self.store.transaction() as db:
                db.execute(
                    "UPDATE events SET state = ?, answer = ?, attempts = attempts + 1 "
                    "WHERE message_id = ?",
                    ("rejected" if "error" in answer else "sent", json.dumps(answer), message_id),
                )
            _logger.info("run %s: %s -> %s", job_id, event["event"], answer)
            if "error" in answer:
                return
            if pause:
                time.sleep(pause)


class OdooReporter:
    """Reports events through Odoo's external API; retries while Odoo cannot be reached."""

    def __init__(self, url, db, login, key, retry_for=300.0):
        self.url = url.rstrip("/")
        self.db = db
        self.login = login
        self.key = key
        self.retry_for = retry_for
        self._uid = None

    def _uid_for(self):
        if self._uid is None:
            common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common", allow_none=True)
            uid = common.authenticate(self.db, self.login, self.key, {})
            if not uid:
                raise PermissionError(f"Odoo refused login {self.login!r} on {self.db!r}")
            self._uid = uid
        return self._uid

    def report(self, event):
        """Send one event until Odoo answers; return its answer or ``{"error": ...}``."""
        deadline = time.monotonic() + self.retry_for
        delay = 0.5
        while True:
            try:
                models = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
                return models.execute_kw(
                    self.db,
                    self._uid_for(),
                    self.key,
                    "sbk.mes.bridge",
                    "report_progress",
                    [event],
                )
            except xmlrpc.client.Fault as fault:
                return {"error": fault.faultString.strip().splitlines()[-1][:500]}
            except PermissionError as error:
                return {"error": str(error)}
            except (OSError, xmlrpc.client.ProtocolError) as error:
                if time.monotonic() > deadline:
                    return {"error": f"Odoo unreachable: {error}"}
                _logger.info("Odoo unreachable (%s): retrying in %.1fs", error, delay)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)


class RequestHandler(SimpleXMLRPCRequestHandler):
    rpc_paths = ("/", "/RPC2")
    auth = None  # (login, password) when the server requires it
    site = None

    def parse_request(self):
        if not super().parse_request():
            return False
        if self.auth:
            expected = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
            if self.headers.get("Authorization", "") != f"Basic {expected}":
                self.send_error(401, "MES credentials refused")
                return False
        if self.site and self.headers.get("X-MES-Site", "") != self.site:
            self.send_error(403, f"this MES serves site {self.site!r}")
            return False
        return True

    def log_message(self, format, *args):  # noqa: A002 (the base class's signature)
        _logger.debug("%s " + format, self.address_string(), *args)


class ThreadedXMLRPCServer(socketserver.ThreadingMixIn, SimpleXMLRPCServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(
    host,
    port,
    db_file,
    odoo=None,
    speed=1.0,
    auto_run=False,
    auth=None,
    site=None,
):
    """Build (not start) the simulator's server; ``server.service`` is its MesService."""
    handler = type("Handler", (RequestHandler,), {"auth": auth, "site": site})
    server = ThreadedXMLRPCServer(
        (host, port), requestHandler=handler, allow_none=True, logRequests=False
    )
    service = MesService(Store(db_file), odoo=odoo, speed=speed, auto_run=auto_run)
    for name in ("push_job", "cancel_job", "list_jobs", "get_job", "run_job", "stats", "ping"):
        server.register_function(getattr(service, name), f"mes.{name}")
    server.register_introspection_functions()
    server.service = service
    return server


def serve(argv):
    parser = argparse.ArgumentParser(description="Reference MES simulator (XML-RPC server)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--db-file", default="mes.sqlite3", help="SQLite file of the jobs")
    parser.add_argument("--odoo-url", help="Odoo to report to, e.g. http://127.0.0.1:8069")
    parser.add_argument("--odoo-db", help="Odoo database")
    parser.add_argument(
        "--odoo-login", default=os.environ.get("MES_ODOO_LOGIN", "mes"), help="MES user's login"
    )
    parser.add_argument(
        "--odoo-key",
        default=os.environ.get("MES_ODOO_KEY"),
        help="the MES user's API key (or env MES_ODOO_KEY)",
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="events per second when running a job"
    )
    parser.add_argument("--auto-run", action="store_true", help="run each new job at once")
    parser.add_argument("--site", help="require this site name (X-MES-Site header)")
    parser.add_argument("--auth", help="require these credentials, LOGIN:PASSWORD (Basic)")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    odoo = None
    if args.odoo_url and args.odoo_db and args.odoo_key:
        odoo = OdooReporter(args.odoo_url, args.odoo_db, args.odoo_login, args.odoo_key)
    elif args.odoo_url:
        _logger.warning("no --odoo-key: jobs are accepted but cannot be reported back to Odoo")
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    server = make_server(
        args.host,
        args.port,
        args.db_file,
        odoo=odoo,
        speed=args.speed,
        auto_run=args.auto_run,
        auth=auth,
        site=args.site,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _logger.info(
        "MES simulator on http://%s:%s/RPC2 (jobs in %s)", args.host, args.port, args.db_file
    )
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


def control(argv):
    parser = argparse.ArgumentParser(description="Drive a running MES simulator")
    parser.add_argument("command", choices=["list", "show", "run", "stats"])
    parser.add_argument("job_id", nargs="?")
    parser.add_argument("--url", default="http://127.0.0.1:8070/RPC2")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--scrap", type=float, default=0.0)
    parser.add_argument("--partial", type=float, default=1.0)
    args = parser.parse_args(argv)
    mes = xmlrpc.client.ServerProxy(args.url, allow_none=True).mes
    if args.command == "list":
        for job in mes.list_jobs():
            print(
                f"{job['job_id']:<24} {job['mes_ref']:<10} {job['mes_state']:<8} "
                f"{job['qty_reported']:>8g} / {job['quantity']:<8g} {job.get('product', '')}"
            )
    elif args.command == "stats":
        print(json.dumps(mes.stats(), indent=2))
    elif not args.job_id:
        parser.error(f"{args.command} needs a JOB_ID")
    elif args.command == "show":
        print(json.dumps(mes.get_job(args.job_id), indent=2, ensure_ascii=False))
    else:
        options = {"steps": args.steps, "scrap": args.scrap, "partial": args.partial}
        print(mes.run_job(args.job_id, options))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("list", "show", "run", "stats"):
        control(argv)
    else:
        serve(argv)


if __name__ == "__main__":
    main()
