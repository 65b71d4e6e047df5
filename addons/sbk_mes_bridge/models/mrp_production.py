from odoo import api, fields, models
from odoo.tools import float_round

from ..tools.mes_protocol import format_timestamp

MES_STATES = [
    ("none", "Not Sent"),
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("started", "Started"),
    ("done", "Done"),
    ("failed", "Not Delivered"),
    ("cancel", "Cancelled"),
]

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
