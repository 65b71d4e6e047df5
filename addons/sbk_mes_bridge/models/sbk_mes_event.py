from odoo import fields, models

EVENT_TYPES = [
    ("started", "Started"),
    ("progress", "Progress"),
    ("done", "Done"),
    ("scrap", "Scrap"),
]


class SbkMesEvent(models.Model):
    """A production report from the MES, applied once.

    The unique ``message_id`` makes a report the MES sends again (after a timeout, a restart)
    a duplicate: it is recorded in the transaction that applies it, so either both happen or
    neither does. Written by the bridge only: read-only to everyone.
    """

    _name = "sbk.mes.event"
    _description = "MES Event"
    _order = "id desc"
    _rec_name = "message_id"

    message_id = fields.Char(string="Message ID", required=True, readonly=True)
    job_id = fields.Char(required=True, readonly=True)
    production_id = fields.Many2one(
        "mrp.production",
        string="Manufacturing Order",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(related="production_id.company_id", store=True)
    workorder_id = fields.Many2one(
        "mrp.workorder", string="Work Order", ondelete="set null", readonly=True
    )
    event_type = fields.Selection(EVENT_TYPES, string="Event", required=True, readonly=True)
    qty_done = fields.Float(string="Quantity Done", digits="Product Unit of Measure", readonly=True)
    qty_scrap = fields.Float(
        string="Quantity Scrapped", digits="Product Unit of Measure", readonly=True
    )
    timestamp = fields.Datetime(required=True, readonly=True, help="When it happened in the MES.")
    scrap_id = fields.Many2one("stock.scrap", readonly=True)
    backorder_id = fields.Many2one("mrp.production", readonly=True, ondelete="set null")
    payload = fields.Text(readonly=True, help="The event as the MES sent it, JSON.")
    digest = fields.Char(
        readonly=True,
        help="SHA-256 of the event's content: the same message_id with other content is a "
        "conflict, not a repeat.",
    )

    # Per company, as the bridge searches it: two plants' MES may number their messages alike.
    _sql_constraints = [
        (
            "message_id_unique",
            "unique(company_id, message_id)",
            "This MES message was already applied.",
        ),
    ]
