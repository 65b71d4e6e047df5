from collections import defaultdict
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import UserError

from .planning_batch import batch_memo

ORIGIN_LINK = "mail.message_origin_link"
# Which export order (and shortage line) an MO feeds: set by the order's planning (the stock
# rule, which Odoo runs as superuser) and carried over to the MO's backorders, never by hand.
PLANNING_LINKS = ("sbk_sale_order_id", "sbk_shortage_line_id")
# Set while Odoo splits MOs into backorders (as the user who splits): the only user-run code
# that may name the links. A context key would not do: an XML-RPC caller chooses its context.
_SPLITTING = ContextVar("sbk_production_splitting", default=False)


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    sbk_sale_order_id = fields.Many2one(
        "sale.order",
        string="Export Order",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The export order whose planning created this manufacturing order.",
    )
    sbk_shortage_line_id = fields.Many2one(
        "sbk.shortage.line", string="Shortage Line", index="btree_not_null", copy=False
    )
    sbk_etd = fields.Date(related="sbk_sale_order_id.sbk_etd", string="ETD")

    @api.model_create_multi
    def create(self, vals_list):
        context = self.env.context
        if any(
            vals[name] if name in vals else context.get(f"default_{name}")
            for vals in vals_list
            for name in PLANNING_LINKS
        ):
            self._sbk_check_planning_links()
        return super().create(vals_list)

    def write(self, vals):
        if self._sbk_changes_planning_links(vals):
            self._sbk_check_planning_links()
        return super().write(vals)

    def _sbk_changes_planning_links(self, vals):
        for name in PLANNING_LINKS:
            if name not in vals:
                continue
            new_id = self._fields[name].convert_to_cache(vals[name], self) or False
            if any(production[name].id != new_id for production in self):
                return True
        return False

    def _sbk_check_planning_links(self):
        if self.env.su or _SPLITTING.get():
            return
        raise UserError(
            self.env._(
                "The Export Order and the Shortage Line of a manufacturing order are set by "
                "the export order's planning only: leave them out of what you create or change."
            )
        )

    def _split_productions(self, amounts=False, cancel_remaining_qty=False, set_consumed_qty=False):
        # The backorders take over the links through _get_backorder_mo_vals.
        token = _SPLITTING.set(True)
        try:
            return super()._split_productions(
                amounts=amounts,
                cancel_remaining_qty=cancel_remaining_qty,
                set_consumed_qty=set_consumed_qty,
            )
        finally:
            _SPLITTING.reset(token)

    def _get_backorder_mo_vals(self):
        vals = super()._get_backorder_mo_vals()
        vals["sbk_sale_order_id"] = self.sbk_sale_order_id.id
        vals["sbk_shortage_line_id"] = self.sbk_shortage_line_id.id
        return vals

    def action_sbk_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": self.sbk_sale_order_id.id,
        }

    # -- batch shortcuts of an export order's planning (see planning_batch.py) -----------

    def message_post_with_source(
        self,
        source_ref,
        render_values=None,
        message_type="notification",
        subtype_xmlid=False,
        subtype_id=False,
        **kwargs,
    ):
        # Odoo notes on each sub-assembly MO which MO it was created for, one message_post
        # per MO. In a planning batch the notes are kept and logged together at its end.
        memo = batch_memo()
        if (
            memo is None
            or source_ref != ORIGIN_LINK
            or kwargs
            or message_type != "notification"
            or set(render_values or ()) != {"self", "origin"}
        ):
            return super().message_post_with_source(
                source_ref,
                render_values=render_values,
                message_type=message_type,
                subtype_xmlid=subtype_xmlid,
                subtype_id=subtype_id,
                **kwargs,
            )
        notes = memo.setdefault("origin_notes", defaultdict(list))
        notes[(self.env.uid, render_values["origin"])].extend(self.ids)
        return self.env["mail.message"]

    def _sbk_log_origin_notes(self):
        """Log the origin notes kept during a planning batch, in one batch per author."""
        memo = batch_memo()
        notes = memo.pop("origin_notes", {}) if memo is not None else {}
        by_author = defaultdict(dict)
        for (uid, origin), production_ids in notes.items():
            productions = self.with_user(uid).browse(production_ids)
            by_author[uid].update(
                self.env["mail.render.mixin"]._render_template_qweb_view(
                    ORIGIN_LINK,
                    self._name,
                    productions.ids,
                    add_context={"self": productions[:1], "origin": origin},
                )
            )
        for uid, bodies in by_author.items():
            self.with_user(uid).browse(list(bodies))._message_log_batch(bodies=bodies)
