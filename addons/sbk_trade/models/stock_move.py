from collections import defaultdict

from odoo import models
from odoo.tools import float_compare

from .planning_batch import batch_memo


class StockMove(models.Model):
    _inherit = "stock.move"

    def _sbk_set_loaded_lots(self, loaded_by_lot):
        """Keep on the move's lines only the lots and quantities loaded into the containers."""
        self.ensure_one()
        remaining = dict(loaded_by_lot)
        for move_line in self.move_line_ids:
            wanted = remaining.get(move_line.lot_id, 0.0)
            quantity = min(move_line.quantity, wanted)
            if float_compare(
                quantity, move_line.quantity, precision_rounding=self.product_uom.rounding
            ):
                move_line.quantity = quantity
            remaining[move_line.lot_id] = wanted - quantity
            move_line.picked = True

    # -- batch shortcuts of an export order's planning (see planning_batch.py) -----------

    def _adjust_procure_method(self, picking_type_code=False):
        # A rule depends on the product only through its routes (Odoo's _search_rule): one
        # search per distinct routes, packaging, warehouse and locations, not one per move.
        if batch_memo() is None or len(self) < 2:
            return super()._adjust_procure_method(picking_type_code)
        groups = defaultdict(list)
        for move in self:
            product = move.product_id
            routes = product.route_ids | product.categ_id.total_route_ids
            key = (
                tuple(sorted(routes.ids)),
                move.product_packaging_id.id,
                move.warehouse_id.id,
                move.location_id.id,
                move.location_dest_id.id,
            )
            groups[key].append(move.id)
        for move_ids in groups.values():
            moves = self.browse(move_ids)
            first = moves[0]
            domain = [
                ("location_src_id", "=", first.location_id.id),
                ("location_dest_id", "=", first.location_dest_id.id),
                ("action", "!=", "push"),
            ]
            if picking_type_code:
                domain.append(("picking_type_id.code", "=", picking_type_code))
            rule = self.env["procurement.group"]._search_rule(
                False, first.product_packaging_id, first.product_id, first.warehouse_id, domain
            )
            if not rule:
                moves.procure_method = "make_to_stock"
                continue
            moves.rule_id = rule
            if rule.procure_method in ("make_to_stock", "make_to_order"):
                moves.procure_method = rule.procure_method
            else:
                moves.procure_method = "make_to_stock"
        return None

    def action_explode(self):
        # Which products are kits, read once for the batch; only kits go through Odoo's
        # per-move explosion.
        if batch_memo() is None or len(self) < 2:
            return super().action_explode()
        kits = set()
        for company in self.company_id:
            products = self.filtered(lambda m, c=company: m.company_id == c).product_id
            found = (
                self.env["mrp.bom"]
                .sudo()
                ._bom_find(products, company_id=company.id, bom_type="phantom")
            )
            kits.update(product.id for product, bom in found.items() if bom)
        to_explode = self.filtered(lambda m: m.product_id.id in kits)
        if not to_explode:
            return self
        return (self - to_explode) | super(StockMove, to_explode).action_explode()

    def _trigger_scheduler(self):
        # Only moves of products with an automatic reorder rule can trigger one: find those
        # products in one query instead of one search per move.
        if batch_memo() is None or not self:
            return super()._trigger_scheduler()
        with_orderpoint = self.env["stock.warehouse.orderpoint"]._read_group(
            [
                ("product_id", "in", self.product_id.ids),
                ("trigger", "=", "auto"),
                ("company_id", "in", self.company_id.ids),
            ],
            ["product_id"],
        )
        products = {product for (product,) in with_orderpoint}
        return super(
            StockMove, self.filtered(lambda m: m.product_id in products)
        )._trigger_scheduler()

    def _action_assign(self, force_qty=False):
        # Components of freshly planned MOs are mostly short (that is why they were
        # planned): a move whose product has no free quant under its location reserves
        # nothing, so it is left out instead of searching the quants move by move.
        if batch_memo() is None or force_qty:
            return super()._action_assign(force_qty)
        candidates = self.filtered(
            lambda m: (
                not m.picking_id
                and not m.move_orig_ids
                and m.procure_method == "make_to_stock"
                and m.state in ("confirmed", "partially_available")
                and not m._should_bypass_reservation()
            )
        )
        if not candidates:
            return super()._action_assign(force_qty)
        stocked = self._sbk_get_free_stock_locations(candidates)
        skipped = candidates.filtered(
            lambda m: (
                not any(
                    path.startswith(m.location_id.parent_path)
                    for path in stocked.get(m.product_id.id, ())
                )
            )
        )
        return super(StockMove, self - skipped)._action_assign(force_qty)

    def _sbk_get_free_stock_locations(self, moves):
        """{product id: parent paths of the locations holding some unreserved quantity}."""
        # Reservation runs as the procurement's user (the superuser for generated MOs);
        # only quantities are read, to decide which moves to hand to Odoo's reservation.
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search_fetch(
                [
                    ("product_id", "in", moves.product_id.ids),
                    ("location_id", "child_of", moves.location_id.ids),
                    ("quantity", ">", 0),
                ],
                ["product_id", "location_id", "quantity", "reserved_quantity"],
            )
        )
        stocked = defaultdict(set)
        for quant in quants:
            if (
                float_compare(
                    quant.quantity,
                    quant.reserved_quantity,
                    precision_rounding=quant.product_uom_id.rounding,
                )
                > 0
            ):
                stocked[quant.product_id.id].add(quant.location_id.parent_path)
        return stocked
