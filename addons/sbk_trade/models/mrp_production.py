from collections import defaultdict

from odoo import fields, models

from .planning_batch import batch_memo

ORIGIN_LINK = "mail.message_origin_link"


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
