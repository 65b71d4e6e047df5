from collections import defaultdict

from odoo import api, models

from .planning_batch import batch_memo


class MrpBom(models.Model):
    _inherit = "mrp.bom"

    @api.model
    def _bom_find(self, products, picking_type=None, company_id=False, bom_type=False):
        # Odoo explodes each new MO's BOM up to three times (components, finished moves, work
        # orders) and looks for phantom kits among its components each time. Inside an export
        # order's planning the answer per product is kept for the batch, seeded with what the
        # planner found while reading the structure.
        memo = batch_memo()
        if memo is None or bom_type != "phantom":
            return super()._bom_find(
                products, picking_type=picking_type, company_id=company_id, bom_type=bom_type
            )
        key = (picking_type.id if picking_type else False, company_id or False)
        known = memo.setdefault("kits", {}).setdefault(key, {})
        missing = products.filtered(lambda p: p.id not in known)
        if missing:
            found = super()._bom_find(
                missing, picking_type=picking_type, company_id=company_id, bom_type=bom_type
            )
            for product in missing:
                known[product.id] = found[product].id
        result = defaultdict(lambda: self.env["mrp.bom"])
        for product in products:
            if known.get(product.id):
                result[product] = self.browse(known[product.id])
        return result
