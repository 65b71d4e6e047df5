import http.client
import json
import logging
import threading
import uuid
import xmlrpc.client
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.mes_client import MesClient, MesNotConfigured
from ..tools.mes_protocol import retry_delay

_logger = logging.getLogger(__name__)

#: Errors that mean "the MES could not be reached or did not answer properly": retry later.
TRANSPORT_ERRORS = (
    OSError,  # refused, reset, unreachable, timeouts (socket.timeout is an OSError)
    http.client.HTTPException,
    xmlrpc.client.ProtocolError,
    xmlrpc.client.Fault,
    xmlrpc.client.ResponseError,
    MesNotConfigured,
)


class SbkMesMessage(models.Model):
    """Outbox of the calls Odoo makes to the MES.

    Every push, re-plan and cancellation of a job is a message written in the transaction that
    caused it (confirming an MO never waits for the MES). A cron job delivers the messages in
    order, one transaction per message; a failed delivery is retried with exponential backoff
    and the same idempotency key, so the MES never creates a job twice, until the message is
    given up as dead after the configured number of attempts.
    """

    _name = "sbk.mes.message"
    _description = "MES Message"
    _order = "id desc"
    _rec_name = "name"

    name = fields.Char(compute="_compute_name", store=True)
    direction = fields.Selection(
        [("outgoing", "Odoo to MES"), ("incoming", "MES to Odoo")],
        required=True,
        default="outgoing",
        readonly=True,
        help="The outbox holds Odoo's calls to the MES; the MES's reports are MES events.",
    )
    method = fields.Selection(
        [("push_job", "Push Job"), ("cancel_job", "Cancel Job")],
        required=True,
        readonly=True,
    )
    production_id = fields.Many2one(
        "mrp.production",
        string="Manufacturing Order",
        index=True,
        ondelete="set null",
        readonly=True,
    )
    job_id = fields.Char(required=True, index=True, readonly=True, help="The MO's name in the MES.")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    payload = fields.Text(readonly=True, help="The call's arguments, JSON.")
    idempotency_key = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: str(uuid.uuid4()),
        help="Sent with every attempt: the MES applies a key once.",
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("sent", "Sent"),
            ("failed", "Failed (will retry)"),
            ("dead", "Dead"),
        ],
        required=True,
        default="pending",
        index=True,
        readonly=True,
    )
    attempts = fields.Integer(readonly=True)
    next_try = fields.Datetime(default=fields.Datetime.now, index=True, readonly=True)
    last_error = fields.Text(readonly=True)
    sent_date = fields.Datetime(string="Sent On", readonly=True)
    response = fields.Text(readonly=True, help="The MES's answer, JSON.")
    mes_ref = fields.Char(string="MES Reference", readonly=True)

    _sql_constraints = [
        (
            "idempotency_key_unique",
            "unique(idempotency_key)",
            "An idempotency key identifies one message.",
        ),
    ]

    @api.depends("method", "job_id")
    def _compute_name(self):
        labels = dict(self._fields["method"]._description_selection(self.env))
        for message in self:
            message.name = f"{labels.get(message.method, '')} {message.job_id or ''}".strip()

    # -- enqueueing ---------------------------------------------------------------------------

    @api.model
    def _enqueue(self, vals_list):
        """Write messages to the outbox and wake the delivery cron once the transaction commits.

        ``vals_list``: dicts with ``method``, ``production_id``, ``job_id``, ``payload`` (a
        dict, stored as JSON) and ``company_id``.
        """
        for vals in vals_list:
            vals["payload"] = self._dump_payload(vals["payload"])
        # The outbox is bookkeeping of the transaction that confirms or cancels the MO: whoever
        # may do that enqueues the message, without rights on the outbox itself.
        messages = self.sudo().create(vals_list)
        messages._trigger_delivery()
        return messages

    @api.model
    def _dump_payload(self, payload):
        return json.dumps(payload, sort_keys=True, ensure_ascii=False)

    @api.model
    def _new_idempotency_key(self):
        return str(uuid.uuid4())

    def _trigger_delivery(self, at=None):
        """Wake the delivery cron at ``at`` (default: now). A trigger due now notifies the
        cron workers when the transaction commits, so a new message is on the wire within
        a second of the commit that queued it."""
        cron = self.env.ref("sbk_mes_bridge.ir_cron_sbk_mes_deliver", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at=at)

    def _get_payload(self):
        self.ensure_one()
        return json.loads(self.payload or "{}")

    # -- delivery ------------------------------------------------------------------------------

    @api.model
    def _cron_deliver(self, limit=200):
        """Deliver the due messages, one transaction each: one failure rolls back nothing else."""
        due = self._get_due_messages(limit)
        client = None
        done = 0
        for message in due:
            if client is None:
                client = self._get_mes_client()
            if not message._lock_for_delivery():
                continue
            try:
                with self.env.cr.savepoint():
                    message._deliver(client)
            except Exception as error:  # one broken message must not stop the rest
                _logger.exception("MES message %s could not be processed", message.id)
                message._record_failure(error)
            done += 1
            self._commit_progress()
        remaining = len(self._get_due_messages(None)) if len(due) >= limit else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        self._schedule_next_retry()
        return done

    def _commit_progress(self):
        """Commit after each message, as Odoo's crons do; tests run in one transaction."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _get_due_messages(self, limit):
        """Messages to send now, oldest first; a job's later message waits for its earlier
        ones (a cancellation never overtakes the push it cancels)."""
        now = fields.Datetime.now()
        candidates = self.search(
            [("state", "in", ("pending", "failed")), ("next_try", "<=", now)], order="id"
        )
        if not candidates:
            return candidates
        waiting = self.search(
            [("state", "in", ("pending", "failed")), ("job_id", "in", candidates.mapped("job_id"))],
            order="id",
        )
        first_open = {}
        for message in waiting:
            first_open.setdefault(message.job_id, message.id)
        due = candidates.filtered(lambda m: first_open.get(m.job_id) == m.id)
        return due[:limit] if limit else due

    def _lock_for_delivery(self):
        """Lock the message row; skip it when another worker holds it (a manual run of the
        cron next to the scheduled one) or it was delivered in the meantime."""
        self.ensure_one()
        # SKIP LOCKED has no ORM equivalent.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sbk_mes_message WHERE id = %s AND state IN ('pending', 'failed') "
                "FOR UPDATE SKIP LOCKED",
                self.id,
            )
        )
        if not self.env.cr.fetchone():
            return False
        self.invalidate_recordset()
        return True

    def _deliver(self, client):
        """One attempt: call the MES and record the outcome; never raises for the MES's faults."""
        self.ensure_one()
        try:
            if self.method == "push_job":
                answer = client.push_job(self._get_payload())
            else:
                payload = self._get_payload()
                answer = client.cancel_job(payload["job_id"], payload.get("reason", ""))
        except TRANSPORT_ERRORS as error:
            self._record_failure(error)
            return False
        if not isinstance(answer, dict):
            self._record_failure(self.env._("Unexpected answer from the MES: %s", answer))
            return False
        return self._record_answer(answer)

    def _record_answer(self, answer):
        vals = {
            "attempts": self.attempts + 1,
            "response": json.dumps(answer, sort_keys=True, default=str),
            "sent_date": fields.Datetime.now(),
        }
        if answer.get("accepted"):
            vals.update(state="sent", last_error=False, mes_ref=answer.get("mes_ref") or False)
            self.write(vals)
            self.production_id._sbk_mes_message_sent(self)
            return True
        # A refusal is the MES's answer to this content: sending it again would get the same
        # answer. It waits, dead, for someone to fix the MO or the MES and press Retry.
        vals.update(
            state="dead",
            last_error=self.env._("The MES refused the message: %s", answer.get("message") or ""),
        )
        self.write(vals)
        self.production_id._sbk_mes_message_dead(self)
        return False

    def _record_failure(self, error):
        attempts = self.attempts + 1
        max_attempts = self._get_max_attempts()
        vals = {"attempts": attempts, "last_error": str(error)[:2000]}
        if attempts >= max_attempts:
            vals.update(state="dead", next_try=False)
        else:
            delay = retry_delay(attempts, self._get_retry_base_seconds())
            vals.update(state="failed", next_try=fields.Datetime.now() + timedelta(seconds=delay))
        _logger.info(
            "MES message %s (%s) failed, attempt %s: %s", self.id, self.name, attempts, error
        )
        self.write(vals)
        if vals["state"] == "dead":
            self.production_id._sbk_mes_message_dead(self)
        else:
            # The cron wakes when this message is due again, not at its next poll.
            self._trigger_delivery(at=vals["next_try"])

    @api.model
    def _get_mes_client(self):
        # The connection settings are system parameters the cron reads for itself.
        params = self.env["ir.config_parameter"].sudo()
        return MesClient(
            url=params.get_param("sbk_mes_bridge.url"),
            database=params.get_param("sbk_mes_bridge.database"),
            login=params.get_param("sbk_mes_bridge.login"),
            password=params.get_param("sbk_mes_bridge.password"),
            timeout=float(params.get_param("sbk_mes_bridge.timeout") or 10),
        )

    @api.model
    def _get_max_attempts(self):
        value = self.env["ir.config_parameter"].sudo().get_param("sbk_mes_bridge.max_attempts")
        return max(int(value or 8), 1)

    @api.model
    def _get_retry_base_seconds(self):
        value = self.env["ir.config_parameter"].sudo().get_param("sbk_mes_bridge.retry_delay")
        return max(int(value or 60), 1)

    @api.model
    def _schedule_next_retry(self):
        """Wake the cron when the earliest failed message is due again."""
        first = self.search([("state", "=", "failed")], order="next_try", limit=1)
        if first:
            self._trigger_delivery(at=max(first.next_try, fields.Datetime.now()))

    # -- buttons -------------------------------------------------------------------------------

    def action_retry(self):
        """Send the messages again soon, with their own idempotency keys."""
        if any(message.state == "sent" for message in self):
            raise UserError(self.env._("A message the MES accepted is not sent again."))
        self.write(
            {
                "state": "pending",
                "attempts": 0,
                "next_try": fields.Datetime.now(),
                "last_error": False,
            }
        )
        self._trigger_delivery()
        return True

    def action_open_production(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mrp.production",
            "view_mode": "form",
            "res_id": self.production_id.id,
        }
