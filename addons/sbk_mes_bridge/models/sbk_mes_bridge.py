import json
import logging

from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero

from ..tools.mes_protocol import estimate_finish, is_quantity, parse_timestamp
from .sbk_mes_event import EVENT_TYPES

_logger = logging.getLogger(__name__)

EVENT_NAMES = [key for key, _label in EVENT_TYPES]
OPEN_STATES = ("confirmed", "progress", "to_close")


class SbkMesBridge(models.AbstractModel):
    """What the MES calls through Odoo's external API (``execute_kw``), as a user of the group
    "MES Integration" authenticated with an API key. See API.md, section sbk_mes_bridge."""

    _name = "sbk.mes.bridge"
    _description = "MES Bridge (external API)"

    # -- jobs ----------------------------------------------------------------------------------

    @api.model
    def get_jobs(self, since=False):
        """Jobs released to the MES, as ``mes.push_job`` sends them.

        :param since: ISO 8601 date and time, or ``False``. Without it: every open job (MO
            confirmed, in progress or to close). With it: every job queued, re-planned or
            cancelled since then, whatever its state.
        :return: list of job dicts (API.md), each with two more keys: ``state`` (the MO's
            state) and ``mes_state`` (the job's status in the bridge).
        """
        domain = [("sbk_mes_state", "!=", "none")]
        if since:
            domain.append(("sbk_mes_job_date", ">=", self._parse_timestamp(since, "since")))
        else:
            domain.append(("state", "in", OPEN_STATES))
        # As the caller: the MES user sees the MOs its access rules give it.
        productions = self.env["mrp.production"].search(domain, order="sbk_mes_job_date, id")
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
        """Apply one production report of the MES to its manufacturing order.

        :param event: ``{"message_id": str, "job_id": <MO name>, "operation": <name or
            sequence, optional>, "event": "started" | "progress" | "done" | "scrap",
            "qty_done": float, "qty_scrap": float, "timestamp": ISO 8601}``; quantities are
            this event's own, in the job's unit, not running totals.
        :return: ``{"status": "applied" | "duplicate", "job_id", "state", "qty_produced",
            "backorder"}``: a ``message_id`` already applied changes nothing and answers
            ``duplicate``.
        :raise ValidationError, UserError: the event is malformed or does not fit the job;
            nothing is changed.
        """
        Event = self.env["sbk.mes.event"]
        # Reporting production is what the MES group (and MRP managers) may do.
        Event.check_access("create")
        if not isinstance(event, dict):
            raise ValidationError(
                self.env._("An MES event must be a struct (dict), got: %s", event)
            )
        message_id = event.get("message_id")
        if not isinstance(message_id, str) or not message_id.strip():
            raise ValidationError(self.env._("The MES event has no message_id."))
        applied = Event.search([("message_id", "=", message_id)], limit=1)
        if applied:
            return self._result("duplicate", event.get("job_id") or applied.job_id, applied)
        values = self._validate_event(event)
        production = self._get_production(values["job_id"])
        self._lock_production(production)
        # A report is applied whole or not at all, also when called from server code.
        with self.env.cr.savepoint():
            record = self._apply_event(production, values, event)
        return self._result("applied", values["job_id"], record)

    @api.model
    def _result(self, status, job_id, event_record):
        production = event_record.production_id
        done = production.state == "done"
        return {
            "status": status,
            "job_id": job_id,
            "state": production.state,
            "qty_produced": production.qty_produced if done else production.qty_producing,
            "backorder": event_record.backorder_id.sbk_mes_job_id
            or event_record.backorder_id.name
            or "",
        }

    @api.model
    def _parse_timestamp(self, value, field_name):
        try:
            return parse_timestamp(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.env._(
                    "%(field)s must be an ISO 8601 date and time such as "
                    "2025-03-01T08:30:00Z, got %(value)s.",
                    field=field_name,
                    value=repr(value),
                )
            )

    @api.model
    def _validate_event(self, event):
        """Check the event's fields; return them normalised (no record is read)."""
        missing = [key for key in ("job_id", "event", "timestamp") if not event.get(key)]
        if missing:
            raise ValidationError(
                self.env._("The MES event lacks these fields: %s", ", ".join(missing))
            )
        job_id = event["job_id"]
        if not isinstance(job_id, str):
            raise ValidationError(self.env._("job_id must be the job's name, got %s.", job_id))
        event_type = event["event"]
        if event_type not in EVENT_NAMES:
            raise ValidationError(
                self.env._(
                    "Unknown MES event %(event)s: use one of %(events)s.",
                    event=repr(event_type),
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
                raise ValidationError(
                    self.env._(
                        "%(field)s must be a number zero or more, got %(value)s.",
                        field=key,
                        value=repr(value),
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
            if isinstance(operation, bool) or not isinstance(operation, str | int):
                raise ValidationError(
                    self.env._("operation must be a name or a sequence number, got %s.", operation)
                )
        else:
            operation = None
        return {
            "message_id": event["message_id"],
            "job_id": job_id,
            "event": event_type,
            "operation": operation,
            "timestamp": self._parse_timestamp(event["timestamp"], "timestamp"),
            **quantities,
        }

    @api.model
    def _get_production(self, job_id):
        """The job's MO, searched as the caller (its access rules apply)."""
        Production = self.env["mrp.production"]
        production = Production.search([("sbk_mes_job_id", "=", job_id)], limit=1) or (
            Production.search([("name", "=", job_id)], limit=1)
        )
        if not production:
            raise UserError(
                self.env._("Unknown job %s: no manufacturing order has this name.", job_id)
            )
        production.check_access("write")
        return production

    @api.model
    def _lock_production(self, production):
        """Serialise the reports of one MO: a concurrent report waits here, then fails to
        serialise (Odoo retries the call) instead of counting on stale quantities."""
        # Row lock: the ORM has no SELECT ... FOR UPDATE.
        self.env.cr.execute(
            SQL("SELECT id FROM mrp_production WHERE id = %s FOR UPDATE", production.id)
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

    def _check_quantities(self, production, workorder, values):
        rounding = production.product_uom_id.rounding
        tolerance = production.product_qty * self._get_tolerance() / 100.0
        final = not workorder or workorder == production._sbk_get_operations()[-1:]
        if final:
            remaining = (
                production.product_qty - production.qty_producing - production.sbk_mes_qty_scrapped
            )
            reported = values["qty_done"] + values["qty_scrap"]
        else:
            remaining = production.product_qty - workorder.qty_produced
            reported = values["qty_done"]
        if float_compare(reported, remaining + tolerance, precision_rounding=rounding) > 0:
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

    def _apply_event(self, production, values, raw_event):
        """Apply a validated event to the locked MO; return the event record."""
        self._check_state(production, values["job_id"])
        workorder = self._get_workorder(production, values["operation"])
        final = self._check_quantities(production, workorder, values)
        event_type = values["event"]
        # The caller may write this MO (checked in _get_production). What a production report
        # entails beyond the MO - stock moves, component consumption, valuation, scrap,
        # backorders - is Odoo's bookkeeping the MES user has no rights on and must not get.
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
        return self.env["sbk.mes.event"].create(
            {
                "message_id": values["message_id"],
                "job_id": values["job_id"],
                "production_id": production.id,
                "workorder_id": workorder.id,
                "event_type": event_type,
                "qty_done": values["qty_done"],
                "qty_scrap": values["qty_scrap"],
                "timestamp": timestamp,
                "scrap_id": scrap.id,
                "backorder_id": backorder.id,
                "payload": json.dumps(raw_event, sort_keys=True, default=str),
            }
        )

    def _start(self, mo, wo, timestamp):
        """The first report of a job starts the MO at the MES's time; an operation's first
        report starts its work order."""
        if mo.state == "confirmed":
            # Odoo derives the planned end from the start: a late start moves the end.
            mo.date_start = timestamp
            mo.action_start()
        workorder = (
            wo or mo._sbk_get_operations().filtered(lambda w: w.state not in ("done", "cancel"))[:1]
        )
        if workorder and workorder.state not in ("progress", "done", "cancel"):
            # Not button_start: it would declare the whole quantity in production at once.
            workorder.state = "progress"

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
