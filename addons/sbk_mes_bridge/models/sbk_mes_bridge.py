import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.mes_protocol import (
    MAX_BATCH,
    MAX_ID_LENGTH,
    EventError,
    check_envelope,
    check_timestamp,
    event_digest,
    validate_event,
)
from .mrp_production import MES_OPEN_STATES

_logger = logging.getLogger(__name__)

#: Most jobs one ``get_jobs`` call returns.
MAX_JOBS_PAGE = 1000


class ApplyStageFirst(Exception):
    """In a batch: an event for an MO whose progress reports are staged, which must see them
    written before it is checked (see _stage_event)."""

    def __init__(self, production):
        super().__init__(production)
        self.production = production


class WriteNeeded(Exception):
    """In a batch: an event checked without a savepoint that must now be applied (written),
    which it is in a savepoint of its own."""


class SbkMesBridge(models.AbstractModel):
    """What the MES calls through Odoo's external API (``execute_kw``), as a user of the group
    "MES Integration" authenticated with an API key. See docs/api.md, section MES.

    The caller is checked once, at the door: its group, then the job it names is searched with
    its own rights (company rules) and must have been released to the MES. Everything after
    that - reading quantities, applying the report, answering a repeat - runs with the rights
    the bookkeeping needs (stock moves, scrap, valuation), which the MES account does not have
    and must not get."""

    _name = "sbk.mes.bridge"
    _description = "MES Bridge (external API)"

    @api.model
    def _check_caller(self):
        """The MES's technical user, or a manufacturing administrator (server code, tests)."""
        if self.env.su:
            return
        user = self.env.user
        if not (
            user.has_group("sbk_mes_bridge.group_sbk_mes_integration")
            or user.has_group("mrp.group_mrp_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only the MES's technical user (group MES Integration) reads jobs and "
                    "reports production."
                )
            )

    # -- jobs ----------------------------------------------------------------------------------

    @api.model
    def get_jobs(self, since=False, limit=None, offset=0, **unknown):
        """Jobs released to the MES, as ``mes.push_job`` sends them.

        :param since: ISO 8601 date and time, or ``False``. Without it: every open job (MO
            confirmed, in progress or to close). With it: every job queued, re-planned or
            cancelled since then, whatever its state.
        :param limit: at most this many jobs (1 to 1000); ``None``: all of them.
        :param offset: skip this many jobs first. Jobs come oldest change first (then by id):
            page with ``offset += len(page)`` until a page is shorter than ``limit``.
        :return: list of job dicts (docs/api.md), each with two more keys: ``state`` (the MO's
            state) and ``mes_state`` (the job's status in the bridge).
        """
        self._check_caller()
        self._check_no_unknown_arguments("get_jobs", unknown)
        if limit is not None and limit is not False:
            if (
                isinstance(limit, bool)
                or not isinstance(limit, int)
                or not 1 <= limit <= MAX_JOBS_PAGE
            ):
                raise ValidationError(
                    self.env._("limit must be a whole number from 1 to %s.", MAX_JOBS_PAGE)
                )
        else:
            limit = None
        if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset < 2**31:
            raise ValidationError(self.env._("offset must be a whole number zero or more."))
        domain = [("sbk_mes_state", "!=", "none")]
        if since:
            domain.append(("sbk_mes_job_date", ">=", self._parse_timestamp(since, "since")))
        else:
            domain.append(("state", "in", MES_OPEN_STATES))
        # As the caller: the MES user sees the MOs of its companies.
        productions = self.env["mrp.production"].search(
            domain, order="sbk_mes_job_date, id", limit=limit, offset=offset
        )
        keys = self._get_last_push_keys(productions)
        jobs = []
        # The job names the sale order and the components: built like the pushed job, from
        # names and quantities only (no price, cost or partner), which the MES user could not
        # read itself.
        for production in productions.sudo():
            job = production._sbk_prepare_mes_job_vals(keys.get(production.id))
            job["state"] = production.state
            job["mes_state"] = production.sbk_mes_state
            jobs.append(job)
        return jobs

    @api.model
    def _get_last_push_keys(self, productions):
        messages = (
            self.env["sbk.mes.message"]
            .sudo()
            .search(
                [("production_id", "in", productions.ids), ("method", "=", "push_job")],
                order="id desc",
            )
        )
        keys = {}
        for message in messages:
            keys.setdefault(message.production_id.id, message.idempotency_key)
        return keys

    # -- events --------------------------------------------------------------------------------

    @api.model
    def report_progress(self, event=None, **unknown):
        """Apply production reports of the MES to their manufacturing orders.

        :param event: one event ``{"message_id": str, "job_id": <MO name>, "operation": <name
            or sequence, optional>, "event": "started" | "progress" | "done" | "scrap",
            "qty_done": float, "qty_scrap": float, "timestamp": ISO 8601}`` (quantities are
            this event's own, in the job's unit, not running totals), or a list of up to
            ``MAX_BATCH`` (500) of them.
        :return: for one event, ``{"status": "applied" | "duplicate", "job_id", "state",
            "qty_produced", "backorder"}``: a ``message_id`` already applied with the same
            content changes nothing and answers ``duplicate`` with the job's current figures.
            For a list, a list of such results in the same order, where a refused event is
            ``{"status": "refused", "job_id", "message"}`` and changes nothing, without
            stopping the events after it.
        :raise ValidationError, UserError: (one event) the event is malformed, does not fit the
            job, or reuses a ``message_id`` for other content (conflict); nothing is changed.
        """
        self._check_caller()
        self._check_no_unknown_arguments("report_progress", unknown)
        if event is None:
            raise ValidationError(
                self.env._("report_progress needs an event (a struct) or a list of events.")
            )
        if isinstance(event, list):
            return self._report_batch(event)
        return self._report_one(event)

    @api.model
    def _check_no_unknown_arguments(self, method, unknown):
        """An XML-RPC caller's misspelt or unknown keyword: a readable error, not a TypeError
        (whose Fault would carry Odoo's traceback)."""
        if unknown:
            raise ValidationError(
                self.env._(
                    "%(method)s takes no argument %(names)s: see the API reference.",
                    method=method,
                    names=", ".join(sorted(unknown)),
                )
            )

    @api.model
    def _report_batch(self, events):
        if len(events) > MAX_BATCH:
            raise ValidationError(
                self.env._(
                    "A batch holds at most %(max)s events, got %(count)s: split it.",
                    max=MAX_BATCH,
                    count=len(events),
                )
            )
        # The batch's reads are shared: its jobs, their row locks and the message ids already
        # applied, one query each; every event is then applied or refused on its own.
        batch = self._prepare_batch(events)
        results = []
        for event in events:
            batch["index"] = len(results)
            try:
                # Checked, staged, answered as a repeat or refused without writing anything.
                result = self._report_one(event, batch=batch, write=False)
            except UserError as error:
                result = self._refused(event, error)
            except (ApplyStageFirst, WriteNeeded) as signal:
                if isinstance(signal, ApplyStageFirst):
                    # Whatever else comes for an MO sees its staged reports applied first.
                    self._apply_stage(signal.production, batch, results)
                try:
                    # Applied on its own: a refused one rolls back to here, the others stand.
                    with self.env.cr.savepoint():
                        result = self._report_one(event, batch=batch)
                except UserError as error:
                    result = self._refused(event, error)
            results.append(result)
        for production in self.env["mrp.production"].browse(list(batch["staged"])):
            self._apply_stage(production, batch, results)
        return results

    @api.model
    def _refused(self, event, error):
        job_id = event.get("job_id") if isinstance(event, dict) else None
        return {
            "status": "refused",
            "job_id": job_id if isinstance(job_id, str) else "",
            "message": str(error.args[0] if error.args else error),
        }

    @api.model
    def _prepare_batch(self, events):
        """What the events of a batch share, read once: their jobs' MOs (searched as the
        caller, locked in id order so that concurrent batches cannot deadlock) and the events
        already applied under their message ids."""
        job_ids, message_ids = set(), set()
        for event in events:
            if not isinstance(event, dict):
                continue
            job_id, message_id = event.get("job_id"), event.get("message_id")
            if isinstance(job_id, str) and job_id and len(job_id) <= MAX_ID_LENGTH:
                job_ids.add(job_id)
            if isinstance(message_id, str) and message_id.strip():
                message_ids.add(message_id)
        Production = self.env["mrp.production"]
        productions = {}
        if job_ids:
            # In the search's order, the first MO per job, as _get_production's limit=1 does.
            for production in Production.search([("sbk_mes_job_id", "in", list(job_ids))]):
                productions.setdefault(production.sbk_mes_job_id, production)
            missing = list(job_ids - set(productions))
            if missing:
                for production in Production.search([("name", "in", missing)]):
                    productions.setdefault(production.name, production)
        found = Production.union(*productions.values())
        self._lock_production(found)
        applied = {}
        if found and message_ids:
            for record in (
                self.env["sbk.mes.event"]
                .sudo()
                .search(
                    [
                        ("company_id", "in", found.company_id.ids),
                        ("message_id", "in", list(message_ids)),
                    ]
                )
            ):
                applied.setdefault((record.company_id.id, record.message_id), record)
        # Progress reports checked and answered but not yet written, by MO: see _stage_event.
        return {"productions": productions, "applied": applied, "staged": {}, "index": 0}

    # -- staged progress (batches) ---------------------------------------------------------------
    #
    # In a batch, the plain progress reports of an MO already in production are checked one by
    # one against the MO's figures plus the reports staged before them, answered at once, and
    # written together: one update of the MO and its work orders and one insert of their event
    # records per MO and batch, instead of one each per report. Anything else for that MO (a
    # start, scrap, done, a repeat) and the end of the batch apply the staged reports first. If
    # writing them together fails, each is applied on its own and answered as such.

    def _stage_event(self, production, workorder, values, raw_event, digest, batch):
        """Check a progress report against the MO's figures and the reports staged before it,
        stage it, and answer it as applied."""
        stage = batch["staged"].get(production.id) or {
            "mo_qty": 0.0,
            "wo_qty": {},
            "items": [],
            "last": None,
            "final": None,
        }
        produced = {"mo": stage["mo_qty"], "wo": stage["wo_qty"].get(workorder.id, 0.0)}
        final = production._sbk_mes_check_quantities(workorder, values, produced)
        # Staged once checked: a refused report leaves no trace in the batch.
        batch["staged"][production.id] = stage
        if workorder:
            stage["wo_qty"][workorder.id] = produced["wo"] + values["qty_done"]
        if final:
            stage["mo_qty"] += values["qty_done"]
            stage["final"] = values["timestamp"]
        stage["last"] = values["timestamp"]
        record = production._sbk_mes_prepare_event_vals(workorder, values, raw_event, digest)
        stage["items"].append(
            {
                "index": batch["index"],
                "values": values,
                "event": raw_event,
                "digest": digest,
                "record": record,
            }
        )
        # Not a record yet: a repeat of it applies the stage first (_report_one).
        batch["applied"][production.company_id.id, values["message_id"]] = None
        return {
            "status": "applied",
            "job_id": values["job_id"],
            "state": production.state,
            "qty_produced": production.qty_producing + stage["mo_qty"],
            "backorder": "",
        }

    @api.model
    def _apply_stage(self, production, batch, results):
        """Write the MO's staged reports together; if that fails, each on its own."""
        stage = batch["staged"].pop(production.id)
        bridge = self.sudo()
        production = production.sudo()
        company = production.company_id.id
        try:
            with self.env.cr.savepoint():
                records = production._sbk_mes_apply_staged(stage)
        except UserError:
            _logger.info("MES: staged reports of %s applied one by one", production.name)
        else:
            for item, record in zip(stage["items"], records, strict=True):
                batch["applied"][company, item["values"]["message_id"]] = record
            return
        for item in stage["items"]:
            values = item["values"]
            batch["applied"].pop((company, values["message_id"]), None)
            try:
                with self.env.cr.savepoint():
                    record = production._sbk_mes_apply_event(values, item["event"], item["digest"])
            except UserError as error:
                results[item["index"]] = self._refused(item["event"], error)
                continue
            batch["applied"][company, values["message_id"]] = record
            results[item["index"]] = bridge._result("applied", values["job_id"], production, record)

    @api.model
    def _report_one(self, event, batch=None, write=True):
        """One event (of ``batch``, if given). Without ``write``, an event that would be
        applied raises ``WriteNeeded`` before it writes anything."""
        message_id, job_id = self._check_envelope(event)
        if batch is None:
            production = self._get_production(job_id)
            self._lock_production(production)
        else:
            production = self._get_production(job_id, batch["productions"])
        # The caller was checked above (group, company, job released to the MES): the rest is
        # the bridge's own bookkeeping on that one MO, done and answered with full rights.
        bridge = self.sudo()
        digest = event_digest(event)
        if batch is None:
            applied = bridge._get_applied_event(production.company_id, message_id)
        else:
            key = (production.company_id.id, message_id)
            if key in batch["applied"] and batch["applied"][key] is None:
                # A repeat of a staged report: answered from its record.
                raise ApplyStageFirst(production)
            applied = batch["applied"].get(key)
        if applied:
            if applied.digest and applied.digest != digest:
                raise ValidationError(
                    self.env._(
                        "Conflict: message_id %(message)s was already applied to job %(job)s "
                        "with other content. Each report needs its own message_id; an MES "
                        "that restarts its counters must not reuse the earlier ones.",
                        message=message_id,
                        job=applied.job_id,
                    )
                )
            return bridge._result("duplicate", job_id, production, applied, fresh=batch is None)
        values = self._validate_event(event)
        if batch is not None and production.state == "progress":
            workorder = production.sudo()._sbk_mes_get_workorder(values["operation"])
            if production.sudo()._sbk_mes_can_stage(workorder, values):
                return bridge._stage_event(
                    production.sudo(), workorder, values, event, digest, batch
                )
        if batch is not None and production.id in batch["staged"]:
            raise ApplyStageFirst(production)
        if not write:
            raise WriteNeeded()
        if batch is None:
            # A report is applied whole or not at all, also when called from server code.
            with self.env.cr.savepoint():
                record = production.sudo()._sbk_mes_apply_event(values, event, digest)
        else:
            # The batch holds a savepoint per event already.
            record = production.sudo()._sbk_mes_apply_event(values, event, digest)
            batch["applied"][production.company_id.id, message_id] = record
        # In a batch the MO's cache is current (locked and invalidated once, written through
        # the ORM since), except after a done event: closing an MO writes past it.
        fresh = batch is None or values["event"] == "done"
        return bridge._result("applied", job_id, production, record, fresh=fresh)

    @api.model
    def _check_envelope(self, event):
        """What identifies an event: a struct with a usable ``message_id`` and ``job_id``."""
        try:
            return check_envelope(event)
        except EventError as error:
            raise self._event_error(error) from None

    @api.model
    def _get_applied_event(self, company, message_id):
        # message_id is unique per company: two plants' MES may use the same numbering.
        return self.env["sbk.mes.event"].search(
            [("company_id", "=", company.id), ("message_id", "=", message_id)], limit=1
        )

    @api.model
    def _result(self, status, job_id, production, event_record, fresh=True):
        if fresh:
            production.invalidate_recordset()
        production = production.sudo()
        done = production.state == "done"
        backorder = event_record.backorder_id
        return {
            "status": status,
            "job_id": job_id,
            "state": production.state,
            "qty_produced": production.qty_produced if done else production.qty_producing,
            "backorder": backorder.sbk_mes_job_id or backorder.name or "",
        }

    @api.model
    def _parse_timestamp(self, value, field_name):
        try:
            return check_timestamp(value, field_name)
        except EventError as error:
            raise self._event_error(error) from None

    @api.model
    def _get_time_window(self):
        """Days before and after now an event's timestamp may lie (system parameters)."""
        params = self.env["ir.config_parameter"].sudo()
        past = float(params.get_param("sbk_mes_bridge.timestamp_past_days") or 366)
        future = float(params.get_param("sbk_mes_bridge.timestamp_future_days") or 1)
        return past, future

    @api.model
    def _validate_event(self, event):
        """Check the event's fields (tools.mes_protocol.validate_event); return them
        normalised (no record is read)."""
        past, future = self._get_time_window()
        try:
            return validate_event(event, fields.Datetime.now(), past, future)
        except EventError as error:
            raise self._event_error(error) from None

    @api.model
    def _event_error(self, error):
        """The protocol's ``EventError``, worded for the MES's integrator (translated)."""
        p = error.params
        messages = {
            "not_a_struct": lambda: self.env._(
                "An MES event must be a struct (dict), got: %s", p["value"]
            ),
            "no_message_id": lambda: self.env._("The MES event has no message_id."),
            "message_id_too_long": lambda: self.env._(
                "message_id is %(length)s characters long: at most %(max)s.", **p
            ),
            "missing_fields": lambda: self.env._(
                "The MES event lacks these fields: %s", p["fields"]
            ),
            "bad_job_id": lambda: self.env._("job_id must be the job's name, got %s.", p["value"]),
            "unknown_event": lambda: self.env._(
                "Unknown MES event %(event)s: use one of %(events)s.", **p
            ),
            "bad_quantity": lambda: self.env._(
                "%(field)s must be a number zero or more, up to %(max)s, got %(value)s.", **p
            ),
            "quantity_required": lambda: self.env._("A %(event)s event needs %(field)s.", **p),
            "quantity_above_zero": lambda: self.env._(
                "A %(event)s event needs %(field)s above zero.", **p
            ),
            "bad_operation": lambda: self.env._(
                "operation must be a name or a sequence number, got %s.", p["value"]
            ),
            "bad_timestamp": lambda: self.env._(
                "%(field)s must be an ISO 8601 date and time such as "
                "2025-03-01T08:30:00Z, got %(value)s.",
                **p,
            ),
            "timestamp_out_of_window": lambda: self.env._(
                "timestamp %(value)s is too far from now: events are taken from %(past)s "
                "days before to %(future)s days after the server's clock. Check the MES's "
                "clock.",
                **p,
            ),
        }
        return ValidationError(messages[error.code]())

    @api.model
    def _get_production(self, job_id, productions=None):
        """The job's MO, searched as the caller (its companies' rules apply), released to the
        MES (pushed at least once). ``productions``: the MOs of a batch by job, searched
        already."""
        Production = self.env["mrp.production"]
        if productions is not None:
            production = productions.get(job_id, Production)
        else:
            production = Production.search([("sbk_mes_job_id", "=", job_id)], limit=1) or (
                Production.search([("name", "=", job_id)], limit=1)
            )
        if not production:
            raise UserError(
                self.env._("Unknown job %s: no manufacturing order has this name.", job_id)
            )
        if production.sbk_mes_state == "none":
            raise UserError(
                self.env._(
                    "Job %s was never released to the MES: send it from the manufacturing "
                    "order in Odoo first.",
                    job_id,
                )
            )
        return production

    @api.model
    def _lock_production(self, production):
        """Serialise the reports of one MO: a concurrent report waits here, then fails to
        serialise (Odoo retries the call) instead of counting on stale quantities."""
        if not production:
            return
        # Row lock: the ORM has no SELECT ... FOR UPDATE. In id order: several MOs of a batch.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM mrp_production WHERE id IN %s ORDER BY id FOR UPDATE",
                tuple(production.ids),
            )
        )
        production.invalidate_recordset()
