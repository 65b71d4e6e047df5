from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from ..tools.mes_protocol import canonical_event, estimate_finish, format_timestamp

MES_STATES = [
    ("none", "Not Sent"),
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("started", "Started"),
    ("done", "Done"),
    ("failed", "Not Delivered"),
    ("cancel", "Cancelled"),
]

#: States of an MO that takes reports from the MES.
MES_OPEN_STATES = ("confirmed", "progress", "to_close")

#: Changes that make the MES's copy of a job out of date: they are sent again (re-plan).
REPLAN_FIELDS = ("product_qty", "date_start", "date_finished", "product_uom_id")


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    sbk_mes_state = fields.Selection(
        MES_STATES,
        string="MES Status",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    sbk_mes_ref = fields.Char(string="MES Reference", copy=False, readonly=True)
    sbk_mes_job_id = fields.Char(
        string="MES Job",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The job's name in the MES: the MO's name when it was first sent. It stays when "
        "Odoo renames the MO (a backorder renames the original MO-001).",
    )
    sbk_mes_job_date = fields.Datetime(
        string="MES Job Updated",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="When the job was last queued for the MES (push, re-plan or cancellation).",
    )
    sbk_mes_expected_finish = fields.Datetime(
        string="MES Expected Finish",
        copy=False,
        readonly=True,
        help="End of production extrapolated from the rate the MES reports.",
    )
    sbk_mes_last_event_date = fields.Datetime(string="Last MES Report", copy=False, readonly=True)
    sbk_mes_qty_scrapped = fields.Float(
        string="Scrapped in MES", copy=False, readonly=True, digits="Product Unit of Measure"
    )
    sbk_mes_message_ids = fields.One2many(
        "sbk.mes.message", "production_id", string="MES Messages", readonly=True
    )
    sbk_mes_message_count = fields.Integer(
        string="MES Message Count", compute="_compute_sbk_mes_message_count"
    )
    # The extra unit cost feeds valuation: for internal users, as Odoo's own cost fields are.
    # The MES's technical user, the one user of MOs who is not internal, never sees it.
    extra_cost = fields.Float(groups="base.group_user")
    sbk_mes_event_ids = fields.One2many(
        "sbk.mes.event", "production_id", string="MES Events", readonly=True
    )

    def _compute_sbk_mes_message_count(self):
        counts = dict(
            self.env["sbk.mes.message"]._read_group(
                [("production_id", "in", self.ids)], ["production_id"], ["__count"]
            )
        )
        for production in self:
            production.sbk_mes_message_count = counts.get(production, 0)

    # -- job payload ---------------------------------------------------------------------------

    def _sbk_get_sale_order(self):
        self.ensure_one()
        return self.sbk_sale_order_id or self.procurement_group_id.sale_id

    def _sbk_get_operations(self):
        """The MO's work orders in their order; a work order's ``sequence`` in the job is its
        position (1, 2, ...), unique even when the routing's own sequences repeat."""
        self.ensure_one()
        return self.workorder_ids.sorted(lambda wo: (wo.sequence, wo.id))

    def _sbk_prepare_mes_job_vals(self, idempotency_key=False):
        """The job as the MES receives it (docs/api.md, ``mes.push_job``)."""
        self.ensure_one()
        operations = [
            {
                "sequence": position,
                "name": workorder.name,
                "workcenter": workorder.workcenter_id.name or "",
                "duration_expected_min": float_round(workorder.duration_expected, 2),
            }
            for position, workorder in enumerate(self._sbk_get_operations(), start=1)
        ]
        components = [
            {
                "product": move.product_id.default_code or move.product_id.name,
                "quantity": move.product_uom_qty,
                "uom": move.product_uom.name,
            }
            for move in self.move_raw_ids.filtered(lambda m: m.state != "cancel")
        ]
        return {
            "job_id": self.sbk_mes_job_id or self.name,
            "idempotency_key": idempotency_key or "",
            "product": self.product_id.default_code or "",
            "product_name": self.product_id.name,
            "quantity": self.product_qty,
            "uom": self.product_uom_id.name,
            "date_planned_start": format_timestamp(self.date_start),
            "date_planned_finished": format_timestamp(self.date_finished),
            "sale_order": self._sbk_get_sale_order().name or "",
            "operations": operations,
            "components": components,
        }

    # -- outbox --------------------------------------------------------------------------------

    def _sbk_enqueue_push(self):
        """Queue the jobs for the MES (a push, or a re-plan of a job already pushed)."""
        productions = self.filtered(lambda p: p.state not in ("draft", "done", "cancel"))
        if not productions:
            return self.env["sbk.mes.message"]
        Message = self.env["sbk.mes.message"]
        for production in productions.filtered(lambda p: not p.sbk_mes_job_id):
            production.with_context(sbk_mes_no_replan=True).sbk_mes_job_id = production.name
        # A push not yet tried is brought up to date instead of queueing another one.
        unsent = Message.sudo().search(
            [
                ("production_id", "in", productions.ids),
                ("method", "=", "push_job"),
                ("state", "=", "pending"),
                ("attempts", "=", 0),
            ]
        )
        unsent_by_production = {message.production_id: message for message in unsent}
        vals_list = []
        # The job names the sale order and the products: whoever confirms or re-plans an MO
        # sends it, even without the right to open the order. Names and quantities only.
        for production in productions.sudo():
            message = unsent_by_production.get(production)
            if message:
                payload = production._sbk_prepare_mes_job_vals(message.idempotency_key)
                message.payload = Message._dump_payload(payload)
                continue
            key = Message._new_idempotency_key()
            vals_list.append(
                {
                    "method": "push_job",
                    "production_id": production.id,
                    "job_id": production.sbk_mes_job_id,
                    "company_id": production.company_id.id,
                    "idempotency_key": key,
                    "payload": production._sbk_prepare_mes_job_vals(key),
                }
            )
        messages = Message._enqueue(vals_list) if vals_list else Message
        productions.with_context(sbk_mes_no_replan=True).write(
            {
                "sbk_mes_job_date": fields.Datetime.now(),
                "sbk_mes_state": "queued",
            }
        )
        return messages

    def _sbk_enqueue_cancel(self, reason=""):
        productions = self.filtered(lambda p: p.sbk_mes_state not in ("none", "cancel"))
        if not productions:
            return self.env["sbk.mes.message"]
        vals_list = [
            {
                "method": "cancel_job",
                "production_id": production.id,
                "job_id": production.sbk_mes_job_id,
                "company_id": production.company_id.id,
                "payload": {"job_id": production.sbk_mes_job_id, "reason": reason},
            }
            for production in productions
        ]
        messages = self.env["sbk.mes.message"]._enqueue(vals_list)
        productions.with_context(sbk_mes_no_replan=True).write(
            {"sbk_mes_job_date": fields.Datetime.now(), "sbk_mes_state": "cancel"}
        )
        return messages

    def _sbk_mes_message_sent(self, message):
        """The MES accepted ``message``: record its reference."""
        for production in self:
            vals = {}
            if message.mes_ref:
                vals["sbk_mes_ref"] = message.mes_ref
            if message.method == "push_job" and production.sbk_mes_state in ("queued", "failed"):
                vals["sbk_mes_state"] = "sent"
            if vals:
                production.with_context(sbk_mes_no_replan=True).write(vals)

    def _sbk_mes_message_dead(self, message):
        productions = self.filtered(lambda p: p.sbk_mes_state in ("queued", "sent"))
        if message.method == "push_job" and productions:
            productions.with_context(sbk_mes_no_replan=True).write({"sbk_mes_state": "failed"})
        for production in self:
            production.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=production.user_id.id or self.env.ref("base.user_admin").id,
                summary=self.env._("MES message not delivered"),
                note=self.env._(
                    "%(message)s could not be delivered to the MES: %(error)s. Fix the cause, "
                    "then press Retry on the message.",
                    message=message.name,
                    error=message.last_error or "",
                ),
            )

    @api.model
    def _sbk_mes_auto_push(self):
        param = self.env["ir.config_parameter"].sudo().get_param("sbk_mes_bridge.auto_push")
        return param not in (False, "", "False", "0")

    # -- Odoo's flow -----------------------------------------------------------------------------

    def action_confirm(self):
        result = super().action_confirm()
        if self._sbk_mes_auto_push():
            self.filtered(lambda p: p.sbk_mes_state in ("none", "failed"))._sbk_enqueue_push()
        return result

    def _action_cancel(self):
        pushed = self.filtered(lambda p: p.sbk_mes_state not in ("none", "cancel"))
        result = super()._action_cancel()
        pushed.filtered(lambda p: p.state == "cancel")._sbk_enqueue_cancel(
            self.env._("Cancelled in Odoo")
        )
        return result

    def write(self, vals):
        result = super().write(vals)
        if not self.env.context.get("sbk_mes_no_replan") and any(f in vals for f in REPLAN_FIELDS):
            self.filtered(
                lambda p: (
                    p.sbk_mes_state in ("queued", "sent", "started")
                    and p.state in ("confirmed", "progress", "to_close")
                )
            )._sbk_enqueue_push()
        return result

    def _split_productions(self, amounts=False, cancel_remaining_qty=False, set_consumed_qty=False):
        productions = super()._split_productions(
            amounts=amounts,
            cancel_remaining_qty=cancel_remaining_qty,
            set_consumed_qty=set_consumed_qty,
        )
        # A backorder is a new job for the MES: it goes there like a confirmed MO (Odoo creates
        # backorders confirmed, without action_confirm).
        backorders = productions - self
        if backorders and (
            self._sbk_mes_auto_push() or any(p.sbk_mes_state != "none" for p in self)
        ):
            backorders.with_context(sbk_mes_no_replan=False)._sbk_enqueue_push()
        return productions

    # -- buttons -------------------------------------------------------------------------------

    def action_sbk_mes_push(self):
        """Send (or send again, as a re-plan) the jobs to the MES."""
        self._sbk_enqueue_push()
        return True

    def action_sbk_view_mes_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sbk_mes_bridge.action_sbk_mes_message"
        )
        action["domain"] = [("production_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # -- MES reports -----------------------------------------------------------------------------
    #
    # What a report of the MES does to its MO. The bridge (sbk.mes.bridge) checks the caller,
    # the event's shape and its message id, locks the MO, then calls these with the rights the
    # bookkeeping needs (stock moves, scrap, valuation): ``self`` is the locked MO, in sudo.
    # ``values``: the event as tools.mes_protocol.validate_event returns it.

    def _sbk_mes_check_open(self, job_id):
        self.ensure_one()
        if self.state == "done":
            raise UserError(self.env._("Job %s is done: it takes no more reports.", job_id))
        if self.state == "cancel":
            raise UserError(self.env._("Job %s is cancelled: it takes no more reports.", job_id))
        if self.state not in MES_OPEN_STATES:
            raise UserError(self.env._("Job %s is not confirmed yet.", job_id))

    def _sbk_mes_get_workorder(self, operation):
        """The work order an event names (by name, else by position), or nothing."""
        self.ensure_one()
        if operation is None:
            return self.env["mrp.workorder"]
        workorders = self._sbk_get_operations()
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
                job=self.sbk_mes_job_id or self.name,
                operations=", ".join(workorders.mapped("name")) or self.env._("(none)"),
            )
        )

    @api.model
    def _sbk_mes_get_tolerance(self):
        """How far (percent of the MO's quantity) reports may exceed it (system parameter)."""
        value = self.env["ir.config_parameter"].sudo().get_param("sbk_mes_bridge.tolerance")
        return float(value or 0.0)

    def _sbk_mes_check_quantities(self, workorder, values, staged=None):
        """Whether the report fits what remains to make; return whether it reports the final
        operation. ``staged``: quantities reported in a batch and not written yet, ``mo`` for
        the MO and ``wo`` for the work order."""
        self.ensure_one()
        rounding = self.product_uom_id.rounding
        tolerance_percent = self._sbk_mes_get_tolerance()
        tolerance = self.product_qty * tolerance_percent / 100.0
        final = not workorder or workorder == self._sbk_get_operations()[-1:]
        staged = staged or {"mo": 0.0, "wo": 0.0}
        producing = self.qty_producing + staged["mo"]
        # What is still to make: the job's quantity less what was made and what was scrapped,
        # at any operation. An intermediate operation counts its own output instead of the
        # MO's, and its scrap too (units lost there never reach the last operation).
        left = self.product_qty - self.sbk_mes_qty_scrapped
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
                    tolerance=tolerance_percent,
                )
            )
        return final

    def _sbk_mes_can_stage(self, workorder, values):
        """Whether a checked progress report may wait for the end of its batch: it only adds
        quantities to an MO and a work order in production already (see sbk.mes.bridge)."""
        self.ensure_one()
        return (
            values["event"] == "progress"
            and values["qty_done"]
            and not values["qty_scrap"]
            and self.state == "progress"
            and self.sbk_mes_state not in ("none", "queued", "sent", "failed")
            and not self._sbk_mes_get_workorder_to_start(workorder)
        )

    def _sbk_mes_apply_event(self, values, raw_event, digest):
        """Apply a validated event; return its ``sbk.mes.event`` record."""
        self.ensure_one()
        self._sbk_mes_check_open(values["job_id"])
        workorder = self._sbk_mes_get_workorder(values["operation"])
        final = self._sbk_mes_check_quantities(workorder, values)
        event_type = values["event"]
        mo = self.with_context(sbk_mes_no_replan=True, force_date=True)
        timestamp = values["timestamp"]
        mo._sbk_mes_start(workorder, timestamp)
        scrap = self._sbk_mes_scrap(workorder, values["qty_scrap"], values["job_id"])
        backorder = mo.browse()
        vals = {"sbk_mes_last_event_date": timestamp}
        if mo.sbk_mes_state in ("none", "queued", "sent", "failed"):
            vals["sbk_mes_state"] = "started"
        if event_type in ("progress", "done") and values["qty_done"]:
            if workorder:
                workorder.qty_produced += values["qty_done"]
            if final:
                # Components are consumed once, when the MO is done: Odoo's own
                # _set_qty_producing adds a move line per call and rewrites them all, which
                # makes every report slower than the one before on a busy MO. Written on its
                # own: Odoo recomputes the planned end from it, before ours is set below.
                mo.qty_producing += values["qty_done"]
        if event_type == "done" and final:
            mo.write(vals)
            backorder = mo._sbk_mes_finish(values)
        else:
            if event_type == "done":
                workorder.button_finish()
            elif final:
                vals.update(mo._sbk_mes_get_expected_finish_vals(timestamp))
            mo.write(vals)
        vals = self._sbk_mes_prepare_event_vals(workorder, values, raw_event, digest)
        vals.update(scrap_id=scrap.id, backorder_id=backorder.id)
        return self.env["sbk.mes.event"].create(vals)

    def _sbk_mes_apply_staged(self, stage):
        """Write the progress reports a batch staged for this MO together (see
        sbk.mes.bridge._stage_event); return their ``sbk.mes.event`` records."""
        self.ensure_one()
        mo = self.with_context(sbk_mes_no_replan=True, force_date=True)
        # As _sbk_mes_apply_event does for each report: work orders first, then the MO.
        for workorder_id, quantity in stage["wo_qty"].items():
            workorder = self.env["mrp.workorder"].browse(workorder_id)
            workorder.qty_produced += quantity
        if stage["mo_qty"]:
            mo.qty_producing += stage["mo_qty"]
        vals = {"sbk_mes_last_event_date": stage["last"]}
        if stage["final"]:
            vals.update(mo._sbk_mes_get_expected_finish_vals(stage["final"]))
        mo.write(vals)
        return self.env["sbk.mes.event"].create([item["record"] for item in stage["items"]])

    def _sbk_mes_prepare_event_vals(self, workorder, values, raw_event, digest):
        self.ensure_one()
        return {
            "message_id": values["message_id"],
            "job_id": values["job_id"],
            "production_id": self.id,
            # Its related value, given: no read and update of the new row after the insert.
            "company_id": self.company_id.id,
            "workorder_id": workorder.id,
            "event_type": values["event"],
            "qty_done": values["qty_done"],
            "qty_scrap": values["qty_scrap"],
            "timestamp": values["timestamp"],
            "digest": digest,
            "payload": canonical_event(raw_event),
        }

    def _sbk_mes_start(self, workorder, timestamp):
        """The first report of a job starts the MO at the MES's time; an operation's first
        report starts its work order."""
        if self.state == "confirmed":
            # Odoo derives the planned end from the start: a late start moves the end.
            self.date_start = timestamp
            self.action_start()
        to_start = self._sbk_mes_get_workorder_to_start(workorder)
        if to_start:
            # Not button_start: it would declare the whole quantity in production at once.
            to_start.state = "progress"

    def _sbk_mes_get_workorder_to_start(self, workorder):
        """The work order a report on ``workorder`` (or on the job, without one) starts."""
        candidate = (
            workorder
            or self._sbk_get_operations().filtered(lambda w: w.state not in ("done", "cancel"))[:1]
        )
        if candidate and candidate.state not in ("progress", "done", "cancel"):
            return candidate
        return candidate.browse()

    def _sbk_mes_scrap(self, workorder, quantity, job_id):
        if float_is_zero(quantity, precision_rounding=self.product_uom_id.rounding):
            return self.env["stock.scrap"]
        # Units lost on the line: they leave production for scrap, never having reached stock.
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product_id.id,
                "product_uom_id": self.product_uom_id.id,
                "scrap_qty": quantity,
                "production_id": self.id,
                "workorder_id": workorder.id,
                "location_id": self.production_location_id.id,
                "company_id": self.company_id.id,
                "origin": job_id,
            }
        )
        scrap.do_scrap()
        self.sbk_mes_qty_scrapped += quantity
        return scrap

    def _sbk_mes_finish(self, values):
        """Mark the MO done with what was produced; a backorder takes the rest. Return the
        backorder."""
        if float_is_zero(self.qty_producing, precision_rounding=self.product_uom_id.rounding):
            raise UserError(
                self.env._(
                    "Job %s: nothing was produced. Report the quantity made, or cancel the job "
                    "in Odoo.",
                    values["job_id"],
                )
            )
        if self.product_id.tracking != "none" and not self.lot_producing_id:
            raise UserError(
                self.env._(
                    "Job %(job)s makes %(product)s, tracked by lot or serial number: set the "
                    "lot on the manufacturing order in Odoo and close it there.",
                    job=values["job_id"],
                    product=self.product_id.display_name,
                )
            )
        self._set_qty_producing()
        rounding = self.product_uom_id.rounding
        made, planned = self.qty_producing, self.product_qty
        partial = float_compare(made, planned, precision_rounding=rounding) < 0
        before = self.procurement_group_id.mrp_production_ids
        self.with_context(
            skip_consumption=True,
            skip_backorder=True,
            mo_ids_to_backorder=self.ids if partial else False,
            skip_redirection=True,
        ).button_mark_done()
        if self.date_start <= values["timestamp"]:
            self.date_finished = values["timestamp"]
        self.sbk_mes_state = "done"
        return self.procurement_group_id.mrp_production_ids - before

    def _sbk_mes_get_expected_finish_vals(self, now):
        """Extrapolate the end of production from the rate reported so far: the order's
        lead-time risk follows the MO's end date."""
        finish = estimate_finish(
            self.date_start,
            now,
            self.qty_producing + self.sbk_mes_qty_scrapped,
            self.product_qty,
            planned_finish=None,
        )
        if not finish:
            return {}
        return {"date_finished": finish, "sbk_mes_expected_finish": finish}
