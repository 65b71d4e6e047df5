#!/usr/bin/env python3
"""Reference MES simulator for SBK Trade Bridge: the MES side of the contract in docs/api.md.

Standard library only (no Odoo import). The shape of an event, the largest quantity and batch
come from the bridge's own protocol module (``addons/sbk_mes_bridge/tools/mes_protocol.py``,
pure Python too), so the reference MES never sends what Odoo refuses for its shape. It serves
XML-RPC on ``http://HOST:PORT/RPC2``:

- ``mes.push_job(job)`` -> ``{"accepted", "mes_ref", "message"}``: stores the job in SQLite.
  The same ``idempotency_key`` again returns the first answer and changes nothing; a new key
  for a known ``job_id`` is a re-plan (quantity, dates, operations updated).
- ``mes.cancel_job(job_id, reason)`` -> ``{"accepted", "message"}``: stops the job.
- helpers: ``mes.list_jobs()``, ``mes.get_job(job_id)``, ``mes.run_job(job_id, options)``
  (produce the job: report ``started``, ``progress`` and ``done`` events to Odoo through its
  external API, as the MES user with its API key), ``mes.stats()``, ``mes.ping()``.

Every call needs the token Odoo presents (HTTP Basic, login ``odoo`` by default, the token as
password), read from the environment (``MES_AUTH_TOKEN``) or a file (``--auth-token-file``),
never from the command line; ``--no-auth`` serves anonymous callers but then refuses
``run_job``. The MES user's API key likewise comes from ``MES_ODOO_KEY`` or ``--odoo-key-file``.
Reports are kept in SQLite before they are sent: after a restart, the pending ones are sent
again (same ``message_id``, same content) and their jobs carry on. Reports go to Odoo in
batches (a list of events per ``report_progress`` call) when Odoo accepts them, one by one
otherwise.

Server:
    MES_AUTH_TOKEN=... MES_ODOO_KEY=... python3 mes_simulator/mes_sim.py --port 8070 \\
        --db-file mes.sqlite3 --odoo-url http://127.0.0.1:8069 --odoo-db sbk_demo

Client (watch and drive the jobs of a running simulator; the same token, env or file):
    python3 mes_simulator/mes_sim.py list [--url http://127.0.0.1:8070/RPC2]
    python3 mes_simulator/mes_sim.py show JOB_ID
    python3 mes_simulator/mes_sim.py run JOB_ID [--steps 4] [--scrap 1] [--partial 0.5]
"""

import argparse
import base64
import contextlib
import hmac
import importlib.util
import json
import logging
import math
import os
import queue
import secrets
import signal
import socketserver
import sqlite3
import sys
import threading
import time
import xmlrpc.client
from datetime import datetime, timezone
from pathlib import Path
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

_logger = logging.getLogger("mes_sim")

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL_FILE = ROOT / "addons" / "sbk_mes_bridge" / "tools" / "mes_protocol.py"


def load_protocol():
    """The bridge's protocol module (pure Python), loaded from its file."""
    spec = importlib.util.spec_from_file_location("sbk_mes_protocol", PROTOCOL_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


protocol = load_protocol()

# Bounds on what a caller can make the simulator store or do.
MAX_REQUEST_BYTES = 1024 * 1024
MAX_STEPS = 1000
MAX_TEXT = 128
MAX_OPERATIONS = 500
MAX_QUANTITY = protocol.MAX_QUANTITY
# Odoo's default window around its clock for an event's timestamp (days before, after).
TIMESTAMP_WINDOW = (366, 1)
# Events per report_progress call when Odoo takes batches.
DEFAULT_BATCH_SIZE = 50
# Faults worth sending again: the transaction lost a race, the event itself is fine.
TRANSIENT_FAULTS = ("could not serialize", "concurrent update", "deadlock", "lock not available")

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
# Columns added since the first version: an older mes.sqlite3 gets them on start.
EVENT_COLUMNS = {"seq": "INTEGER NOT NULL DEFAULT 0", "pause": "REAL NOT NULL DEFAULT 0"}


def utcnow():
    return datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)


def iso(moment):
    return moment.isoformat() + "Z"


def read_secret(env_name, file_path):
    """A secret from a file (first line) or the environment; None when neither has one."""
    if file_path:
        text = Path(file_path).read_text().strip()
        return text.splitlines()[0].strip() if text else None
    return os.environ.get(env_name) or None


class Store:
    """The simulator's jobs and reports, in SQLite; one lock serialises every access."""

    def __init__(self, path):
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        with self.lock:
            self.db.executescript(SCHEMA)
            columns = {row["name"] for row in self.db.execute("PRAGMA table_info(events)")}
            for name, definition in EVENT_COLUMNS.items():
                if name not in columns:
                    self.db.execute(f"ALTER TABLE events ADD COLUMN {name} {definition}")
            # This installation's mark, drawn once with its database: the message ids of a
            # new installation (an MES reset, a new site) never repeat an earlier one's, which
            # Odoo would refuse as a conflict.
            self.db.execute(
                "INSERT OR IGNORE INTO counters (name, value) VALUES ('installation', ?)",
                (secrets.randbits(31),),
            )
            self.installation = self.db.execute(
                "SELECT value FROM counters WHERE name = 'installation'"
            ).fetchone()[0]

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

    def running_job_ids(self):
        with self.lock:
            rows = self.db.execute("SELECT job_id FROM jobs WHERE state = 'running'").fetchall()
        return [row["job_id"] for row in rows]

    def next_event(self, job_id):
        """The job's first report not answered yet (planned or pending), or None."""
        with self.lock:
            return self.db.execute(
                "SELECT * FROM events WHERE job_id = ? AND state IN ('planned', 'pending') "
                "ORDER BY seq LIMIT 1",
                (job_id,),
            ).fetchone()

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


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_job(job):
    """What is wrong with a pushed job, or None: a refusal, never an exception."""
    if not isinstance(job, dict):
        return "a job must be a struct"
    for key in ("job_id", "idempotency_key"):
        if not isinstance(job.get(key), str) or not job[key].strip():
            return f"a job needs {key}, a string"
        if len(job[key]) > MAX_TEXT:
            return f"{key} is longer than {MAX_TEXT} characters"
    quantity = job.get("quantity")
    if not _number(quantity) or not 0 < quantity <= MAX_QUANTITY:
        return f"quantity must be a number above 0 and at most {MAX_QUANTITY:g}"
    operations = job.get("operations") or []
    if not isinstance(operations, list) or len(operations) > MAX_OPERATIONS:
        return f"operations must be a list of at most {MAX_OPERATIONS}"
    return None


def check_run_options(options, quantity):
    """``run_job``'s options normalised; ValueError (a readable Fault) when out of bounds."""
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise ValueError("run_job options must be a struct: steps, scrap, partial")
    unknown = set(options) - {"steps", "scrap", "partial"}
    if unknown:
        raise ValueError(f"unknown run_job options: {', '.join(sorted(map(str, unknown)))}")
    steps = options.get("steps", 4)
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be a whole number from 1 to {MAX_STEPS}")
    partial = options.get("partial", 1.0)
    if not _number(partial) or not 0 < partial <= 1:
        raise ValueError("partial must be a share above 0 and at most 1")
    scrap = options.get("scrap", 0.0)
    if not _number(scrap) or scrap < 0 or scrap >= quantity * partial:
        raise ValueError("scrap must be zero or more and less than the quantity made")
    return {"steps": steps, "partial": float(partial), "scrap": float(scrap)}


def plan_events(job, options):
    """The reports that produce ``job`` with ``options`` (checked), in order."""
    quantity = float(job["quantity"])
    steps, scrap = options["steps"], options["scrap"]
    made = round(quantity * options["partial"] - scrap, 6)
    operations = job.get("operations") or []
    first_op = operations[0].get("name") if operations and isinstance(operations[0], dict) else None
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


class MesService:
    """The XML-RPC methods (``mes.*``)."""

    def __init__(self, store, odoo=None, speed=1.0, auto_run=False, allow_run=True):
        self.store = store
        self.odoo = odoo
        self.speed = speed
        self.auto_run = auto_run
        # run_job makes the simulator report production in Odoo's name: never for anyone.
        self.allow_run = allow_run
        self.runners = {}
        self.runners_lock = threading.Lock()

    # -- contract ------------------------------------------------------------------------------

    def push_job(self, job):
        problem = check_job(job)
        if problem:
            return {"accepted": False, "mes_ref": "", "message": problem}
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
        if self.auto_run and answer["message"] == "job created" and self.odoo is not None:
            self._start(job["job_id"], {})
        return answer

    def cancel_job(self, job_id, reason=""):
        if not isinstance(job_id, str) or len(job_id) > MAX_TEXT:
            return {"accepted": False, "message": f"job_id must be a string of {MAX_TEXT} or less"}
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
            # Reports not sent yet never will be; a report already on the wire is answered.
            db.execute(
                "UPDATE events SET state = 'cancelled' WHERE job_id = ? AND state = 'planned'",
                (job_id,),
            )
        _logger.info("cancel %s: %s", job_id, str(reason)[:200])
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
        batches = self.odoo.batch_supported if self.odoo else None
        return {"counters": counters, "jobs": states, "events": events, "batches": batches}

    def run_job(self, job_id, options=None):
        """Produce the job in the background, reporting to Odoo.

        ``options``: ``steps`` (progress events, 1 to MAX_STEPS, default 4), ``scrap`` (units
        scrapped midway), ``partial`` (share of the quantity made before ``done``, default 1.0:
        all of it). The reports are planned and stored at once: a restart carries on with them.
        """
        if not self.allow_run:
            raise PermissionError(
                "run_job needs an authenticated caller: start the simulator with a token "
                "(MES_AUTH_TOKEN or --auth-token-file)"
            )
        if self.odoo is None:
            raise ValueError("no Odoo to report to: start the simulator with --odoo-url etc.")
        if not isinstance(job_id, str):
            raise ValueError("job_id must be a string")
        job = self.store.job(job_id)
        if not job:
            raise ValueError(f"unknown job {job_id}")
        if job["mes_state"] == "running":
            return {"running": True, "message": "already running"}
        if job["mes_state"] in ("done", "cancel"):
            raise ValueError(f"job {job_id} is {job['mes_state']}")
        return self._start(job_id, check_run_options(options, float(job["quantity"])))

    def _start(self, job_id, options):
        options = options or check_run_options({}, float(self.store.job(job_id)["quantity"]))
        with self.store.transaction() as db:
            row = db.execute("SELECT * FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
            if row["state"] not in ("queued", "error"):
                return {"running": row["state"] == "running", "message": row["state"]}
            job = Store._job_dict(row)
            # Numbers go on after the reports of an earlier run: message ids stay unique.
            first = db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE job_id = ?", (job_id,)
            ).fetchone()[0]
            pause = 1.0 / self.speed if self.speed > 0 else 0.0
            for seq, planned in enumerate(plan_events(job, options), start=first + 1):
                message_id = (
                    f"{job['mes_ref']}-r{job['revision']}-{seq}-{self.store.installation:08x}"
                )
                event = {
                    "message_id": message_id,
                    "job_id": job_id,
                    "qty_done": 0.0,
                    "qty_scrap": 0.0,
                    **{k: v for k, v in planned.items() if v is not None},
                }
                db.execute(
                    "INSERT INTO events (message_id, job_id, payload, state, seq, pause) "
                    "VALUES (?, ?, ?, 'planned', ?, ?)",
                    (message_id, job_id, json.dumps(event), seq, pause),
                )
            db.execute(
                "UPDATE jobs SET state = 'running', updated = ? WHERE job_id = ?",
                (iso(utcnow()), job_id),
            )
        self._spawn(job_id)
        return {"running": True, "message": "started"}

    def resume(self):
        """Carry on with the jobs that were running when the simulator stopped."""
        if self.odoo is None:
            return []
        job_ids = self.store.running_job_ids()
        for job_id in job_ids:
            _logger.info("run %s: resumed after a restart", job_id)
            self._spawn(job_id)
        return job_ids

    def _spawn(self, job_id):
        with self.runners_lock:
            runner = self.runners.get(job_id)
            if runner and runner.is_alive():
                return
            runner = threading.Thread(
                target=self._run, args=(job_id,), name=f"run-{job_id}", daemon=True
            )
            self.runners[job_id] = runner
            runner.start()

    def _run(self, job_id):
        while True:
            job = self.store.job(job_id)
            if job is None or job["mes_state"] != "running":
                return
            row = self.store.next_event(job_id)
            if row is None:
                return
            event = json.loads(row["payload"])
            if row["state"] == "planned":
                # Stamped once, when due: a report sent again after a restart is the same.
                event["timestamp"] = iso(utcnow())
                with self.store.transaction() as db:
                    db.execute(
                        "UPDATE events SET payload = ?, state = 'pending' WHERE message_id = ?",
                        (json.dumps(event), event["message_id"]),
                    )
            answer = self.odoo.report(event)
            refused = "error" in answer
            with self.store.transaction() as db:
                db.execute(
                    "UPDATE events SET state = ?, answer = ?, attempts = attempts + 1 "
                    "WHERE message_id = ?",
                    ("rejected" if refused else "sent", json.dumps(answer), event["message_id"]),
                )
                state = "error" if refused else ("done" if event["event"] == "done" else None)
                db.execute(
                    "UPDATE jobs SET state = CASE WHEN state = 'running' THEN COALESCE(?, state) "
                    "ELSE state END, qty_reported = qty_reported + ?, updated = ? "
                    "WHERE job_id = ?",
                    (state, 0.0 if refused else event["qty_done"], iso(utcnow()), job_id),
                )
                if refused:
                    db.execute(
                        "UPDATE events SET state = 'cancelled' "
                        "WHERE job_id = ? AND state = 'planned'",
                        (job_id,),
                    )
            _logger.info("run %s: %s -> %s", job_id, event["event"], answer)
            if refused:
                return
            if row["pause"]:
                time.sleep(row["pause"])


class OdooReporter:
    """Reports events through Odoo's external API, in batches when Odoo takes them.

    ``report(event)`` blocks until Odoo answered that event (retrying while Odoo cannot be
    reached); events reported at the same time by several jobs go in one call. The API key comes
    from ``key`` or, read again when Odoo refuses it (a new key was made), ``key_file``.
    """

    def __init__(self, url, db, login, key=None, key_file=None, batch_size=DEFAULT_BATCH_SIZE):
        self.url = url.rstrip("/")
        self.db = db
        self.login = login
        self.key_file = key_file
        self.key = key or read_secret("MES_ODOO_KEY", key_file)
        self.batch_size = min(max(int(batch_size), 1), protocol.MAX_BATCH)
        # None until the first batch tells: Odoo answers a list, or wants one dict per call.
        self.batch_supported = None if self.batch_size > 1 else False
        self._uid = None
        self._queue = queue.Queue()
        self._sender = None
        self._sender_lock = threading.Lock()
        self.calls = 0

    # -- what the runners call -----------------------------------------------------------------

    def report(self, event):
        """Send one event until Odoo answers; return its answer or ``{"error": ...}``. An
        event that breaks the protocol is not sent."""
        try:
            protocol.check_envelope(event)
            protocol.validate_event(event, utcnow(), *TIMESTAMP_WINDOW)
        except protocol.EventError as error:
            _logger.error("not sent, not an event Odoo takes: %s (%s)", error, event)
            return {"error": f"not sent, not an event Odoo takes: {error}"}
        slot = {"event": event, "done": threading.Event(), "answer": None}
        self._ensure_sender()
        self._queue.put(slot)
        slot["done"].wait()
        return slot["answer"]

    def _ensure_sender(self):
        with self._sender_lock:
            if self._sender is None or not self._sender.is_alive():
                self._sender = threading.Thread(target=self._send_loop, daemon=True, name="sender")
                self._sender.start()

    def _send_loop(self):
        while True:
            slots = [self._queue.get()]
            while len(slots) < self.batch_size:
                try:
                    slots.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                answers = self.send([slot["event"] for slot in slots])
            except Exception as error:  # noqa: BLE001 (a runner must never wait forever)
                _logger.exception("reporting failed")
                answers = [{"error": f"reporting failed: {error}"}] * len(slots)
            for slot, answer in zip(slots, answers, strict=True):
                slot["answer"] = answer
                slot["done"].set()

    # -- the calls -----------------------------------------------------------------------------

    def send(self, events):
        """Answers for ``events``, in order: a batch call when Odoo takes it, else one by one."""
        if len(events) > 1 and self.batch_supported is not False:
            answers = self._call(events)
            if isinstance(answers, list) and len(answers) == len(events):
                self.batch_supported = True
                return [self._answer(answer) for answer in answers]
            if "error" in answers and self._wants_a_dict(answers["error"]):
                _logger.info("Odoo takes one event per call: reporting one by one")
                self.batch_supported = False
            # Any other refusal of the batch as a whole: each event gets its own answer.
        return [self._answer(self._call(event)) for event in events]

    @staticmethod
    def _wants_a_dict(message):
        text = message.lower()
        return "dict" in text or "struct" in text or "not a list" in text

    @staticmethod
    def _answer(answer):
        if isinstance(answer, dict) and "error" in answer:
            return answer
        if isinstance(answer, dict) and answer.get("status") in ("applied", "duplicate"):
            return answer
        reason = answer
        if isinstance(answer, dict):
            reason = answer.get("message") or answer.get("error") or answer.get("reason") or answer
        return {"error": str(reason)[:500], "answer": answer}

    def _uid_for(self):
        if self._uid is None:
            if not self.key:
                raise PermissionError(
                    "no API key for the MES user: set MES_ODOO_KEY or --odoo-key-file"
                )
            common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common", allow_none=True)
            uid = common.authenticate(self.db, self.login, self.key, {})
            if not uid and self.key_file:
                # The key may have been made again (scripts/demo, docker compose's init).
                self.key = read_secret("MES_ODOO_KEY", self.key_file)
                uid = common.authenticate(self.db, self.login, self.key, {})
            if not uid:
                raise PermissionError(f"Odoo refused login {self.login!r} on {self.db!r}")
            self._uid = uid
        return self._uid

    def _call(self, payload):
        """One ``report_progress`` call; retries while Odoo is unreachable or busy."""
        delay = 0.5
        while True:
            try:
                models = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
                self.calls += 1
                return models.execute_kw(
                    self.db,
                    self._uid_for(),
                    self.key,
                    "sbk.mes.bridge",
                    "report_progress",
                    [payload],
                )
            except xmlrpc.client.Fault as fault:
                text = fault.faultString.strip()
                if any(marker in text for marker in TRANSIENT_FAULTS):
                    time.sleep(0.1)
                    continue
                if fault.faultCode == 3:  # access denied: the key changed or was revoked
                    self._uid = None
                return {"error": text.splitlines()[-1][:500] if text else str(fault.faultCode)}
            except PermissionError as error:
                return {"error": str(error)}
            except (OSError, xmlrpc.client.ProtocolError) as error:
                _logger.info("Odoo unreachable (%s): retrying in %.1fs", error, delay)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)


class RequestHandler(SimpleXMLRPCRequestHandler):
    rpc_paths = ("/", "/RPC2")
    auth = None  # (login, token) when the server requires it
    site = None
    max_request_bytes = MAX_REQUEST_BYTES

    def parse_request(self):
        if not super().parse_request():
            return False
        if self.auth:
            expected = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
            given = self.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Basic {expected}".encode()):
                self.send_error(401, "MES credentials refused")
                return False
        if self.site and self.headers.get("X-MES-Site", "") != self.site:
            self.send_error(403, f"this MES serves site {self.site!r}")
            return False
        return True

    def do_POST(self):
        # Checked before a byte of the body is read: a client cannot make the server buffer
        # more than the bound.
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or length is None or not length.isdigit():
            self.send_error(411, "a request needs a Content-Length")
            return
        if int(length) > self.max_request_bytes:
            self.send_error(413, f"requests are limited to {self.max_request_bytes} bytes")
            return
        super().do_POST()

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
    max_request_bytes=MAX_REQUEST_BYTES,
):
    """Build (not start) the simulator's server; ``server.service`` is its MesService.

    ``auth``: ``(login, token)`` every caller must present (HTTP Basic); without it the server
    is anonymous and refuses ``run_job``. Jobs that were running resume at once.
    """
    handler = type(
        "Handler",
        (RequestHandler,),
        {"auth": auth, "site": site, "max_request_bytes": max_request_bytes},
    )
    server = ThreadedXMLRPCServer(
        (host, port), requestHandler=handler, allow_none=True, logRequests=False
    )
    service = MesService(
        Store(db_file), odoo=odoo, speed=speed, auto_run=auto_run, allow_run=bool(auth)
    )
    for name in ("push_job", "cancel_job", "list_jobs", "get_job", "run_job", "stats", "ping"):
        server.register_function(getattr(service, name), f"mes.{name}")
    server.register_introspection_functions()
    server.service = service
    service.resume()
    return server


def _auth_arguments(parser):
    parser.add_argument(
        "--auth-token-file",
        help="file holding the token callers present (else env MES_AUTH_TOKEN)",
    )
    parser.add_argument(
        "--auth-login",
        default=os.environ.get("MES_AUTH_LOGIN", "odoo"),
        help="login that goes with the token (HTTP Basic), default odoo",
    )


def serve(argv):
    # No abbreviations: "--odoo-key SECRET" must not pass for "--odoo-key-file".
    parser = argparse.ArgumentParser(
        description="Reference MES simulator (XML-RPC server)", allow_abbrev=False
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--db-file", default="mes.sqlite3", help="SQLite file of the jobs")
    parser.add_argument("--odoo-url", help="Odoo to report to, e.g. http://127.0.0.1:8069")
    parser.add_argument("--odoo-db", help="Odoo database")
    parser.add_argument(
        "--odoo-login", default=os.environ.get("MES_ODOO_LOGIN", "mes"), help="MES user's login"
    )
    parser.add_argument(
        "--odoo-key-file", help="file holding the MES user's API key (else env MES_ODOO_KEY)"
    )
    _auth_arguments(parser)
    parser.add_argument(
        "--no-auth",
        action="store_true",
        help="serve anonymous callers (then run_job is refused); for tests on loopback",
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="events per second when running a job"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        help="events per report_progress call at most (1: one by one)",
    )
    parser.add_argument("--max-request-bytes", type=int, default=MAX_REQUEST_BYTES)
    parser.add_argument("--auto-run", action="store_true", help="run each new job at once")
    parser.add_argument("--site", help="require this site name (X-MES-Site header)")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    token = read_secret("MES_AUTH_TOKEN", args.auth_token_file)
    if args.no_auth and args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--no-auth serves loopback only (--host 127.0.0.1)")
    if not token and not args.no_auth:
        parser.error(
            "no token for the callers: set MES_AUTH_TOKEN or --auth-token-file (or --no-auth)"
        )
    odoo = None
    key = read_secret("MES_ODOO_KEY", args.odoo_key_file)
    if args.odoo_url and args.odoo_db and key:
        odoo = OdooReporter(
            args.odoo_url,
            args.odoo_db,
            args.odoo_login,
            key=key,
            key_file=args.odoo_key_file,
            batch_size=args.batch_size,
        )
    elif args.odoo_url:
        _logger.warning("no API key: jobs are accepted but cannot be reported back to Odoo")
    server = make_server(
        args.host,
        args.port,
        args.db_file,
        odoo=odoo,
        speed=args.speed,
        auto_run=args.auto_run,
        auth=(args.auth_login, token) if token and not args.no_auth else None,
        site=args.site,
        max_request_bytes=args.max_request_bytes,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _logger.info(
        "MES simulator on http://%s:%s/RPC2 (jobs in %s, %s)",
        args.host,
        args.port,
        args.db_file,
        "anonymous" if args.no_auth else f"callers authenticate as {args.auth_login}",
    )
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


def client_proxy(url, login=None, token=None):
    """A proxy to a simulator, with its credentials in the header (not in the URL)."""
    headers = []
    if token:
        basic = base64.b64encode(f"{login or 'odoo'}:{token}".encode()).decode()
        headers.append(("Authorization", f"Basic {basic}"))
    transport_class = (
        xmlrpc.client.SafeTransport if url.startswith("https:") else xmlrpc.client.Transport
    )
    return xmlrpc.client.ServerProxy(
        url, transport=transport_class(headers=headers), allow_none=True
    )


def control_parser():
    """The client sub-commands' options (list, show, run, stats)."""
    parser = argparse.ArgumentParser(
        description="Drive a running MES simulator", allow_abbrev=False
    )
    parser.add_argument("command", choices=["list", "show", "run", "stats"])
    parser.add_argument("job_id", nargs="?")
    parser.add_argument("--url", default="http://127.0.0.1:8070/RPC2")
    _auth_arguments(parser)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--scrap", type=float, default=0.0)
    parser.add_argument("--partial", type=float, default=1.0)
    return parser


def control(argv):
    parser = control_parser()
    args = parser.parse_args(argv)
    token = read_secret("MES_AUTH_TOKEN", args.auth_token_file)
    mes = client_proxy(args.url, args.auth_login, token).mes
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
