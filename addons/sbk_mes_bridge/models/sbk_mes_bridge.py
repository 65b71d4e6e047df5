import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero

from ..tools.mes_protocol import (
    MAX_BATCH,
    MAX_ID_LENGTH,
    MAX_QUANTITY,
    canonical_event,
    estimate_finish,
    event_digest,
    in_time_window,
    is_quantity,
    parse_timestamp,
)
from .sbk_mes_event import EVENT_TYPES

_logger = logging.getLogger(__name__)

EVENT_NAMES = [key for key, _label in EVENT_TYPES]
OPEN_STATES = ("confirmed", "progress", "to_close")

#: Most jobs one ``get_jobs`` call returns.
MAX_JOBS_PAGE = 1000


class ApplyStageFirst(Exception):
    """In a batch: an event for an MO whose progress reports are staged, which must see them
    written before it is checked (see _stage_event)."""

    def __init__(self, production):
        super().__init__(production)
        self.production = production


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
    def get_jobs(self, since=False, limit=None, offset=0):
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
            domain.append(("state", "in", OPEN_STATES))
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
    def report_progress(self, event):
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
        if isinstance(event, list):
            return self._report_batch(event)
        return self._report_one(event)

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
                # Each event on its own: a refused one rolls back to here, the others stand.
                with self.env.cr.savepoint():
                    result = self._report_one(event, batch=batch)
            except ApplyStageFirst as signal:
                # Whatever else comes for an MO sees its staged reports applied first.
                self._apply_stage(signal.production, batch, results)
                try:
                    with self.env.cr.savepoint():
                        result = self._report_one(event, batch=batch)
                except UserError as error:
                    result = self._refused(event, error)
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

    def _can_stage(self, production, workorder, values):
        """Whether a checked progress report can wait for the batch's end: it only adds
        quantities to an MO and a work order that are in production already."""
        return (
            values["event"] == "progress"
            and values["qty_done"]
            and not values["qty_scrap"]
            and production.state == "progress"
            and production.sbk_mes_state not in ("none", "queued", "sent", "failed")
            and not self._get_workorder_to_start(production, workorder)
        )

    def _stage_event(self, production, workorder, values, raw_event, digest, batch):
        """Check a progress report against the MO's figures and the reports staged before it,
        stage it, and answer it as applied."""
        stage = batch["staged"].setdefault(
            production.id,
            {"mo_qty": 0.0, "wo_qty": {}, "items": [], "last": None, "final": None},
        )
        produced = {"mo": stage["mo_qty"], "wo": stage["wo_qty"].get(workorder.id, 0.0)}
        final = self._check_quantities(production, workorder, values, produced)
        if workorder:
            stage["wo_qty"][workorder.id] = produced["wo"] + values["qty_done"]
        if final:
            stage["mo_qty"] += values["qty_done"]
            stage["final"] = values["timestamp"]
        stage["last"] = values["timestamp"]
        record = self._prepare_event_vals(production, workorder, values, raw_event, digest)
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
                records = bridge._write_stage(production, stage)
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
                    record = bridge._apply_event(production, values, item["event"], item["digest"])
            except UserError as error:
                results[item["index"]] = self._refused(item["event"], error)
                continue
            batch["applied"][company, values["message_id"]] = record
            results[item["index"]] = bridge._result("applied", values["job_id"], production, record)

    def _write_stage(self, production, stage):
        mo = production.with_context(sbk_mes_no_replan=True, force_date=True)
        # As _apply_event does for each report: work orders first, then the MO.
        for workorder_id, quantity in stage["wo_qty"].items():
            workorder = self.env["mrp.workorder"].browse(workorder_id)
            workorder.qty_produced += quantity
        if stage["mo_qty"]:
            mo.qty_producing += stage["mo_qty"]
        vals = {"sbk_mes_last_event_date": stage["last"]}
        if stage["final"]:
            vals.update(self._get_expected_finish_vals(mo, stage["final"]))
        mo.write(vals)
        return self.env["sbk.mes.event"].create([item["record"] for item in stage["items"]])

    @api.model
    def _report_one(self, event, batch=None):
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
            workorder = bridge._get_workorder(production.sudo(), values["operation"])
            if bridge._can_stage(production.sudo(), workorder, values):
                return bridge._stage_event(
                    production.sudo(), workorder, values, event, digest, batch
                )
        if batch is not None and production.id in batch["staged"]:
            raise ApplyStageFirst(production)
        if batch is None:
            # A report is applied whole or not at all, also when called from server code.
            with self.env.cr.savepoint():
                record = bridge._apply_event(production.sudo(), values, event, digest)
        else:
            # The batch holds a savepoint per event already.
            record = bridge._apply_event(production.sudo(), values, event, digest)
            batch["applied"][production.company_id.id, message_id] = record
        # In a batch the MO's cache is current (locked and invalidated once, written through
        # the ORM since), except after a done event: closing an MO writes past it.
        fresh = batch is None or values["event"] == "done"
        return bridge._result("applied", job_id, production, record, fresh=fresh)

    @api.model
    def _check_envelope(self, event):
        """What identifies an event: a struct with a usable ``message_id`` and ``job_id``."""
        if not isinstance(event, dict):
            raise ValidationError(
                self.env._("An MES event must be a struct (dict), got: %s", repr(event)[:200])
            )
        message_id = event.get("message_id")
        if not isinstance(message_id, str) or not message_id.strip():
            raise ValidationError(self.env._("The MES event has no message_id."))
        if len(message_id) > MAX_ID_LENGTH:
            raise ValidationError(
                self.env._(
                    "message_id is %(length)s characters long: at most %(max)s.",
                    length=len(message_id),
                    max=MAX_ID_LENGTH,
                )
            )
        job_id = event.get("job_id")
        if not job_id:
            raise ValidationError(self.env._("The MES event lacks these fields: %s", "job_id"))
        if not isinstance(job_id, str) or len(job_id) > MAX_ID_LENGTH:
            raise ValidationError(
                self.env._("job_id must be the job's name, got %s.", repr(job_id)[:200])
            )
        return message_id, job_id

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
            return parse_timestamp(value)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(
                self.env._(
                    "%(field)s must be an ISO 8601 date and time such as "
                    "2025-03-01T08:30:00Z, got %(value)s.",
                    field=field_name,
                    value=repr(value)[:100],
                )
            )

    @api.model
    def _get_time_window(self):
        """Days before and after now an event's timestamp may lie (system parameters)."""
        params = self.env["ir.config_parameter"].sudo()
        past = float(params.get_param("sbk_mes_bridge.timestamp_past_days") or 366)
        future = float(params.get_param("sbk_mes_bridge.timestamp_future_days") or 1)
        return past, future

    @api.model
    def _validate_event(self, event):
        """Check the event's fields; return them normalised (no record is read)."""
        missing = [key for key in ("job_id", "event", "timestamp") if not event.get(key)]
        if missing:
            raise ValidationError(
                self.env._("The MES event lacks these fields: %s", ", ".join(missing))
            )
        job_id = event["job_id"]
        event_type = event["event"]
        if not isinstance(event_type, str) or event_type not in EVENT_NAMES:
            raise ValidationError(
                self.env._(
                    "Unknown MES event %(event)s: use one of %(events)s.",
                    event=repr(event_type)[:100],
                    events=", ".join(EVENT_NAMES),
                )
            )
        quantities = {}
        for key in ("qty_done", "qty_scrap"):
            value = event.get(key)
            if value is None:
                quantities[key] = 0.0
                continue
            if not is_quantity(value):
                # Formatted outside the call: the translation extractor reads no f-string.
                maximum = format(MAX_QUANTITY, "g")
                raise ValidationError(
                    self.env._(
                        "%(field)s must be a number zero or more, up to %(max)s, got %(value)s.",
                        field=key,
                        max=maximum,
                        value=repr(value)[:100],
                    )
                )
            quantities[key] = float(value)
        required = {"progress": "qty_done", "done": "qty_done", "scrap": "qty_scrap"}.get(
            event_type
        )
        if required and event.get(required) is None:
            raise ValidationError(
                self.env._("A %(event)s event needs %(field)s.", event=event_type, field=required)
            )
        if event_type in ("progress", "scrap") and not quantities[required]:
            raise ValidationError(
                self.env._(
                    "A %(event)s event needs %(field)s above zero.",
                    event=event_type,
                    field=required,
                )
            )
        operation = event.get("operation")
        if operation is not None and operation is not False and operation != "":
            if (
                isinstance(operation, bool)
                or not isinstance(operation, str | int)
                or isinstance(operation, str)
                and len(operation) > MAX_ID_LENGTH
                or isinstance(operation, int)
                and not -(2**31) < operation < 2**31
            ):
                raise ValidationError(
                    self.env._(
                        "operation must be a name or a sequence number, got %s.",
                        repr(operation)[:100],
                    )
                )
        else:
            operation = None
        timestamp = self._parse_timestamp(event["timestamp"], "timestamp")
        past, future = self._get_time_window()
        if not in_time_window(timestamp, fields.Datetime.now(), past, future):
            past, future = format(past, "g"), format(future, "g")
            raise ValidationError(
                self.env._(
                    "timestamp %(value)s is too far from now: events are taken from %(past)s "
                    "days before to %(future)s days after the server's clock. Check the MES's "
                    "clock.",
                    value=event["timestamp"],
                    past=past,
                    future=future,
                )
            )
        return {
            "message_id": event["message_id"],
            "job_id": job_id,
            "event": event_type,
            "operation": operation,
            "timestamp": timestamp,
            **quantities,
        }

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

    def _get_workorder(self, production, operation):
        """The work order an event names (by name, else by position), or nothing."""
        if operation is None:
            return production.env["mrp.workorder"]
        workorders = production._sbk_get_operations()
        by_name = workorders.filtered(lambda wo: wo.name == operation)
        if by_name:
            return (
                by_name.filtered(lambda wo: wo.state not in ("done", "cancel"))[:1] or by_name[:1]
            )
        position = None
        if isinstance(operation, int):
            position = operation
        elif isinstance(operation, str) and operation.strip().isdigit():
            position = int(operation)
        if position and 1 <= position <= len(workorders):
            return workorders[position - 1]
        raise UserError(
            self.env._(
                "Unknown operation %(operation)s for job %(job)s: its operations are "
                "%(operations)s.",
                operation=repr(operation),
                job=production.sbk_mes_job_id or production.name,
                operations=", ".join(workorders.mapped("name")) or self.env._("(none)"),
            )
        )

    def _check_state(self, production, job_id):
        if production.state == "done":
            raise UserError(self.env._("Job %s is done: it takes no more reports.", job_id))
        if production.state == "cancel":
            raise UserError(self.env._("Job %s is cancelled: it takes no more reports.", job_id))
        if production.state not in OPEN_STATES:
            raise UserError(self.env._("Job %s is not confirmed yet.", job_id))

    def _check_quantities(self, production, workorder, values, staged=None):
        """Whether the report fits what remains to make; return whether it reports the final
        operation. ``staged``: quantities reported in the batch and not written yet, ``mo``
        for the MO and ``wo`` for the work order."""
        rounding = production.product_uom_id.rounding
        tolerance = production.product_qty * self._get_tolerance() / 100.0
        final = not workorder or workorder == production._sbk_get_operations()[-1:]
        staged = staged or {"mo": 0.0, "wo": 0.0}
        producing = production.qty_producing + staged["mo"]
        # What is still to make: the job's quantity less what was made and what was scrapped,
        # at any operation. An intermediate operation counts its own output instead of the
        # MO's, and its scrap too (units lost there never reach the last operation).
        left = production.product_qty - production.sbk_mes_qty_scrapped
        checks = [(values["qty_done"] + values["qty_scrap"], left - producing)]
        if not final:
            checks = [
                (
                    values["qty_done"] + values["qty_scrap"],
                    left - workorder.qty_produced - staged["wo"],
                ),
                # Scrap anywhere leaves the job for good: never more than the MO still lacks,
                # or every later final report would be refused.
                (values["qty_scrap"], left - producing),
            ]
        for reported, remaining in checks:
            if float_compare(reported, remaining + tolerance, precision_rounding=rounding) <= 0:
                continue
            raise UserError(
                self.env._(
                    "Job %(job)s: %(reported)s reported but only %(remaining)s remain to make "
                    "(tolerance %(tolerance)s %%).",
                    job=values["job_id"],
                    reported=reported,
                    remaining=max(remaining, 0.0),
                    tolerance=self._get_tolerance(),
                )
            )
        return final

    @api.model
    def _get_tolerance(self):
        value = self.env["ir.config_parameter"].sudo().get_param("sbk_mes_bridge.tolerance")
        return float(value or 0.0)

    def _apply_event(self, production, values, raw_event, digest):
        """Apply a validated event to the locked MO; return the event record."""
        self._check_state(production, values["job_id"])
        workorder = self._get_workorder(production, values["operation"])
        final = self._check_quantities(production, workorder, values)
        event_type = values["event"]
        # The caller was checked in _report_one. What a production report entails - stock
        # moves, component consumption, valuation, scrap, backorders - is Odoo's bookkeeping the
        # MES user has no rights on and must not get.
        mo = production.sudo().with_context(sbk_mes_no_replan=True, force_date=True)
        wo = workorder.sudo()
        timestamp = values["timestamp"]
        self._start(mo, wo, timestamp)
        scrap = self._scrap(mo, wo, values["qty_scrap"], values["job_id"])
        backorder = mo.browse()
        vals = {"sbk_mes_last_event_date": timestamp}
        if mo.sbk_mes_state in ("none", "queued", "sent", "failed"):
            vals["sbk_mes_state"] = "started"
        if event_type in ("progress", "done") and values["qty_done"]:
            if wo:
                wo.qty_produced += values["qty_done"]
            if final:
                # Components are consumed once, when the MO is done: Odoo's own
                # _set_qty_producing adds a move line per call and rewrites them all, which
                # makes every report slower than the one before on a busy MO. Written on its
                # own: Odoo recomputes the planned end from it, before ours is set below.
                mo.qty_producing += values["qty_done"]
        if event_type == "done" and final:
            mo.write(vals)
            backorder = self._finish(mo, values)
        else:
            if event_type == "done":
                wo.button_finish()
            elif final:
                vals.update(self._get_expected_finish_vals(mo, timestamp))
            mo.write(vals)
        vals = self._prepare_event_vals(production, workorder, values, raw_event, digest)
        vals.update(scrap_id=scrap.id, backorder_id=backorder.id)
        return self.env["sbk.mes.event"].create(vals)

    def _prepare_event_vals(self, production, workorder, values, raw_event, digest):
        return {
            "message_id": values["message_id"],
            "job_id": values["job_id"],
            "production_id": production.id,
            # Its related value, given: no read and update of the new row after the insert.
            "company_id": production.company_id.id,
            "workorder_id": workorder.id,
            "event_type": values["event"],
            "qty_done": values["qty_done"],
            "qty_scrap": values["qty_scrap"],
            "timestamp": values["timestamp"],
            "digest": digest,
            "payload": canonical_event(raw_event),
        }

    def _start(self, mo, wo, timestamp):
        """The first report of a job starts the MO at the MES's time; an operation's first
        report starts its work order."""
        if mo.state == "confirmed":
            # Odoo derives the planned end from the start: a late start moves the end.
            mo.date_start = timestamp
            mo.action_start()
        workorder = self._get_workorder_to_start(mo, wo)
        if workorder:
            # Not button_start: it would declare the whole quantity in production at once.
            workorder.state = "progress"

    def _get_workorder_to_start(self, mo, wo):
        """The work order a report on ``wo`` (or on the job, without one) starts, if any."""
        workorder = (
            wo or mo._sbk_get_operations().filtered(lambda w: w.state not in ("done", "cancel"))[:1]
        )
        if workorder and workorder.state not in ("progress", "done", "cancel"):
            return workorder
        return workorder.browse()

    def _scrap(self, mo, wo, quantity, job_id):
        if float_is_zero(quantity, precision_rounding=mo.product_uom_id.rounding):
            return self.env["stock.scrap"]
        # Units lost on the line: they leave production for scrap, never having reached stock.
        scrap = (
            self.env["stock.scrap"]
            .sudo()
            .create(
                {
                    "product_id": mo.product_id.id,
                    "product_uom_id": mo.product_uom_id.id,
                    "scrap_qty": quantity,
                    "production_id": mo.id,
                    "workorder_id": wo.id,
                    "location_id": mo.production_location_id.id,
                    "company_id": mo.company_id.id,
                    "origin": job_id,
                }
            )
        )
        scrap.do_scrap()
        mo.sbk_mes_qty_scrapped += quantity
        return scrap

    def _finish(self, mo, values):
        """Mark the MO done with what was produced; a backorder takes the rest."""
        if float_is_zero(mo.qty_producing, precision_rounding=mo.product_uom_id.rounding):
            raise UserError(
                self.env._(
                    "Job %s: nothing was produced. Report the quantity made, or cancel the job "
                    "in Odoo.",
                    values["job_id"],
                )
            )
        if mo.product_id.tracking != "none" and not mo.lot_producing_id:
            raise UserError(
                self.env._(
                    "Job %(job)s makes %(product)s, tracked by lot or serial number: set the "
                    "lot on the manufacturing order in Odoo and close it there.",
                    job=values["job_id"],
                    product=mo.product_id.display_name,
                )
            )
        mo._set_qty_producing()
        partial = (
            float_compare(
                mo.qty_producing, mo.product_qty, precision_rounding=mo.product_uom_id.rounding
            )
            < 0
        )
        before = mo.procurement_group_id.mrp_production_ids
        mo.with_context(
            skip_consumption=True,
            skip_backorder=True,
            mo_ids_to_backorder=mo.ids if partial else False,
            skip_redirection=True,
        ).button_mark_done()
        if mo.date_start <= values["timestamp"]:
            mo.date_finished = values["timestamp"]
        mo.sbk_mes_state = "done"
        return mo.procurement_group_id.mrp_production_ids - before

    def _get_expected_finish_vals(self, mo, now):
        """Extrapolate the end of production from the rate reported so far: the order's
        lead-time risk follows the MO's end date."""
        finish = estimate_finish(
            mo.date_start,
            now,
            mo.qty_producing + mo.sbk_mes_qty_scrapped,
            mo.product_qty,
            planned_finish=None,
        )
        if not finish:
            return {}
        return {"date_finished": finish, "sbk_mes_expected_finish": finish}
