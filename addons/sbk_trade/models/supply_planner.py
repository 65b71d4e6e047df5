"""Supply planning of one export order: BOM explosion, netting, and Odoo procurements.

Not a model: a short-lived helper the order creates when it is confirmed or a line's quantity
grows. It reads the BOM structure and the supply figures *before* Odoo's own procurement runs
(the order's delivery reserves stock at confirmation), then, after it, nets the order's
requirements level by level and hands the shortages to Odoo's procurement engine: the
warehouse's Manufacture rule creates the MOs, its Buy rule the RFQs. Planning is whole-order
and idempotent: what the order's shortage lines already hold is not planned twice.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import fields
from odoo.tools import float_compare, float_is_zero, float_round

from ..tools.planning import low_level_codes, net_requirement, order_quantity
from .planning_batch import planning_batch
from .supply_reduction import SupplyReduction


class SupplyPlanner:
    def __init__(self, order):
        self.order = order
        self.env = order.env
        self.company = order.company_id
        self.warehouse = order.warehouse_id
        self.precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        self.boms = {}  # product -> mrp.bom (normal or phantom) or empty
        self.children = {}  # product -> [(component, qty per unit of product)]
        self.levels = {}
        self.supply = {}  # product -> (free, unpromised incoming)
        self.sale_lines = None  # product -> first order line selling it
        # (picking type id, company id) -> {product id: phantom BOM id or False}, as
        # mrp.bom._bom_find answers inside a planning batch
        self.kits = {}

    # -- structure and supply (before Odoo's procurement) ---------------------------------

    def read_structure_and_supply(self):
        self.roots = self._get_order_requirements()
        products = self.env["product.product"].browse([p.id for p in self.roots])
        self._read_boms(products)
        self.levels = low_level_codes(list(self.roots), self._children_of)
        all_products = self.env["product.product"].browse([p.id for p in self.levels])
        self._read_supply(all_products)

    def _get_order_requirements(self):
        """Total quantity of each product to deliver, kits exploded, in the product's UoM."""
        requirements = defaultdict(float)
        lines = self.order.order_line.filtered(
            lambda line: line.product_id.type == "consu" and not line.display_type
        )
        kits = self.env["mrp.bom"]._bom_find(
            lines.product_id, company_id=self.company.id, bom_type="phantom"
        )
        for line in lines:
            quantity = line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id
            )
            kit = kits.get(line.product_id)
            if not kit:
                requirements[line.product_id] += quantity
                continue
            for component, per_unit in self._explode(line.product_id, kit):
                requirements[component] += quantity * per_unit
        return requirements

    def _read_boms(self, products):
        """BOMs and per-unit components of ``products`` and everything below, one level of
        the structure at a time (one BOM search and one kit search per level)."""
        todo = products.filtered(lambda p: p not in self.boms)
        while todo:
            found = self.env["mrp.bom"]._bom_find(
                todo, company_id=self.company.id, bom_type="normal"
            )
            for product in todo:
                self.boms[product] = found.get(product, self.env["mrp.bom"])
            self.children.update(self._explode_level(todo))
            next_todo = self.env["product.product"]
            for product in todo:
                for component, _qty in self.children[product]:
                    if component not in self.boms:
                        next_todo |= component
            todo = next_todo

    def _explode_level(self, products):
        """{product: [(component, qty per unit)]} for one level of the structure.

        Odoo's ``mrp.bom.explode`` looks for phantom kits among each BOM's components with a
        query per BOM; here the kits of the whole level are found at once, and only BOMs that
        contain a kit go through Odoo's explosion (which resolves nested kits).
        """
        children = {product: [] for product in products}
        boms = self.env["mrp.bom"].browse([self.boms[p].id for p in products if self.boms[p]])
        kits = set()
        for (picking_type, company), group in boms.grouped(
            lambda b: (b.picking_type_id, b.company_id)
        ).items():
            components = group.bom_line_ids.product_id
            found = self.env["mrp.bom"]._bom_find(
                components, picking_type=picking_type, company_id=company.id, bom_type="phantom"
            )
            kits.update(product for product, kit in found.items() if kit)
            known = self.kits.setdefault((picking_type.id, company.id), {})
            known.update((product.id, found[product].id) for product in components)
        for product in products:
            bom = self.boms[product]
            if not bom:
                continue
            if any(line.product_id in kits for line in bom.bom_line_ids):
                children[product] = self._explode(product, bom)
                continue
            bom_units = product.uom_id._compute_quantity(1.0, bom.product_uom_id) / bom.product_qty
            per_unit = defaultdict(float)
            for line in bom.bom_line_ids:
                component = line.product_id
                if component.type != "consu" or line._skip_bom_line(product):
                    continue
                # As Odoo's explosion does: a line's quantity is rounded up to its unit.
                quantity = float_round(
                    bom_units * line.product_qty,
                    precision_rounding=line.product_uom_id.rounding,
                    rounding_method="UP",
                )
                per_unit[component] += line.product_uom_id._compute_quantity(
                    quantity, component.uom_id, round=False
                )
            children[product] = list(per_unit.items())
        return children

    def _explode(self, product, bom):
        """Components of one unit of ``product`` (phantom sub-kits exploded by Odoo)."""
        bom_units = product.uom_id._compute_quantity(1.0, bom.product_uom_id) / bom.product_qty
        _boms, lines = bom.explode(product, bom_units)
        per_unit = defaultdict(float)
        for bom_line, data in lines:
            component = bom_line.product_id
            if component.type != "consu":
                continue
            per_unit[component] += bom_line.product_uom_id._compute_quantity(
                data["qty"], component.uom_id, round=False
            )
        return list(per_unit.items())

    def _children_of(self, product):
        return [component for component, _qty in self.children.get(product, [])]

    def _read_supply(self, products):
        free = products._sbk_get_free_qty(self.warehouse, exclude_sale_order=self.order)
        in_warehouse = products.with_context(warehouse_id=self.warehouse.id)
        for product in in_warehouse:
            # virtual - free = incoming - demand not yet reserved: the incoming supply nobody
            # has been promised yet.
            unpromised = product.virtual_available - product.free_qty
            incoming = min(max(unpromised, 0.0), product.incoming_qty)
            self.supply[product] = (free.get(product, 0.0), incoming)

    # -- netting and procurement (after Odoo's procurement) -------------------------------

    def run(self):
        """Plan what the order's shortage lines do not already cover."""
        if not self.levels:
            return
        # Where the order's own routes already supply a delivery (make-to-order lines), Odoo's
        # procurement has created that supply: planning it again would double it.
        make_to_order = self.order.order_line.move_ids.filtered(
            lambda m: m.procure_method == "make_to_order" and m.state != "cancel"
        ).product_id
        self.roots = {p: q for p, q in self.roots.items() if p not in make_to_order}
        existing = {line.product_id: line for line in self.order.sbk_shortage_line_ids}
        SupplyReduction(self).run(existing, self.roots, make_to_order)
        steps = self._net_levels(existing)
        if not steps:
            return
        self._schedule(steps)
        self._procure(steps)

    def _net_levels(self, existing):
        """Walk the levels top-down; return the planning steps (one per product needing work)."""
        added = defaultdict(float)  # product -> requirement added by this run
        for product, quantity in self.roots.items():
            line = existing.get(product)
            already = line.required_qty if line and line.level == 0 else 0.0
            added[product] += quantity - already
        steps = []
        for level in range(max(self.levels.values()) + 1):
            for product in [p for p, lvl in self.levels.items() if lvl == level]:
                step = self._net_product(product, level, added[product], existing.get(product))
                if not step:
                    continue
                steps.append(step)
                if step["source"] == "manufacture" and step["new_qty"]:
                    for component, per_unit in self.children[product]:
                        added[component] += step["new_qty"] * per_unit
        return steps

    def _net_product(self, product, level, added, line):
        added = added if float_compare(added, 0.0, precision_digits=self.precision) > 0 else 0.0
        lost = 0.0
        if line:
            # Documents cancelled since the last plan (the order was cancelled and confirmed
            # again): their quantity is planned again, once.
            lost = max(line.ordered_qty - line._get_active_coverage(), 0.0)
            if float_is_zero(lost, precision_digits=self.precision):
                lost = 0.0
        if not added and not lost:
            return None
        # What earlier plans took is reserved or promised by now: the figures read before this
        # run already leave it out.
        available, incoming = self.supply.get(product, (0.0, 0.0))
        netting = net_requirement(added, available, incoming)
        bom = self.boms.get(product)
        seller = None
        if bom:
            source = "manufacture"
        else:
            seller = self._find_seller(product, netting.shortage + lost)
            source = "purchase" if seller else "no_source"
        shortage = netting.shortage
        if float_is_zero(shortage + lost, precision_digits=self.precision):
            source = line.source if line else "stock"
        new_qty = 0.0
        if source == "manufacture":
            new_qty = order_quantity(shortage, product.sbk_moq)
        elif source == "purchase":
            vendor_minimum = seller.product_uom._compute_quantity(seller.min_qty, product.uom_id)
            new_qty = order_quantity(shortage + lost, product.sbk_moq, vendor_minimum) - lost
            new_qty = max(new_qty, 0.0)
        return {
            "product": product,
            "level": level,
            "line": line,
            "required": added,
            "from_stock": netting.from_stock,
            "from_incoming": netting.from_incoming,
            "shortage": shortage,
            "source": source,
            "seller": seller,
            "new_qty": new_qty,
            "lost": lost if source in ("manufacture", "purchase") else 0.0,
        }

    def _find_seller(self, product, quantity):
        """The vendor price list line to buy from: valid for the company and today, the best
        one accepting ``quantity``, else the first valid one (its minimum is then ordered)."""
        product = product.with_company(self.company)
        today = fields.Date.context_today(self.order)
        seller = product._select_seller(quantity=quantity, date=today, uom_id=product.uom_id)
        if not seller:
            sellers = product._get_filtered_sellers(quantity=None, date=today)
            seller = sellers.sorted(lambda s: (s.sequence, s.min_qty, s.id))[:1]
        return seller or None

    def _schedule(self, steps):
        """Earliest dates, bottom-up: a product is ready when its purchase arrives or, when
        made, once its short components are ready plus its manufacturing lead time."""
        now = fields.Datetime.now()
        ready = {}
        for step in sorted(steps, key=lambda s: -s["level"]):
            product = step["product"]
            if step["source"] == "purchase":
                days = step["seller"].delay + self.company.po_lead
                ready[product] = now + timedelta(days=days)
            elif step["source"] == "manufacture":
                start = max([ready.get(c, now) for c in self._children_of(product)] + [now])
                step["start"] = start
                ready[product] = start + timedelta(days=self.boms[product].produce_delay)
            else:
                ready[product] = now
            step["date_planned"] = ready[product]

    def _procure(self, steps):
        lines = self._write_shortage_lines(steps)
        with planning_batch({"kits": self.kits}):
            self._run_procurements(steps, lines)
            self.env["mrp.production"]._sbk_log_origin_notes()
            # What the generated documents compute when flushed is computed inside the batch.
            self.env.flush_all()
        self._link_purchase_lines(lines)
        self._notify_missing_sources(steps)

    def _run_procurements(self, steps, lines):
        """One procurement run per level, top-down: a level's MOs exist before the
        sub-assemblies that feed them are procured."""
        Procurement = self.env["procurement.group"].Procurement
        parents = {}  # product -> open component moves of the level above's new MOs
        known = self.order.sbk_production_ids
        for level in sorted({step["level"] for step in steps}):
            procurements = []
            for step in (s for s in steps if s["level"] == level):
                quantity = step["new_qty"] + step["lost"]
                if step["source"] not in ("manufacture", "purchase") or float_is_zero(
                    quantity, precision_digits=self.precision
                ):
                    continue
                values = self._prepare_procurement_values(step, lines[step["product"]], parents)
                procurements.append(
                    Procurement(
                        step["product"],
                        quantity,
                        step["product"].uom_id,
                        self.warehouse.lot_stock_id,
                        step["product"].display_name,
                        values.pop("origin"),
                        self.company,
                        values,
                    )
                )
            if procurements:
                self.env["procurement.group"].run(procurements)
            self.order.invalidate_recordset(["sbk_production_ids"])
            new_productions = self.order.sbk_production_ids - known
            known |= new_productions
            parents = new_productions.move_raw_ids.filtered(
                lambda m: m.state not in ("done", "cancel")
            ).grouped("product_id")

    def _prepare_procurement_values(self, step, line, parents):
        order = self.order
        values = {
            "company_id": self.company,
            "warehouse_id": self.warehouse,
            "date_planned": step["date_planned"],
            "date_deadline": step["date_planned"],
            "sbk_sale_order_id": order.id,
            "sbk_shortage_line_id": line.id,
            "origin": order.name,
        }
        if step["source"] == "purchase":
            values["route_ids"] = self.warehouse.buy_pull_id.route_id
            values["supplierinfo_id"] = step["seller"]
            return values
        values["route_ids"] = self.warehouse.manufacture_pull_id.route_id
        values["group_id"] = order.procurement_group_id
        values["bom_id"] = self.boms[step["product"]]
        if step["level"] == 0:
            values["sale_line_id"] = self._sale_line_of(step["product"]).id
        else:
            # A sub-assembly feeds its parent MOs: chain it to their component moves, as Odoo
            # does for multi-level make-to-order, so each MO shows its children.
            moves = parents.get(step["product"])
            if moves:
                values["move_dest_ids"] = moves
                values["origin"] = moves[0].raw_material_production_id.name
        return values

    def _sale_line_of(self, product):
        """The order's first line selling ``product`` (the MO of a sold product is linked to
        it, as Odoo's make-to-order MOs are)."""
        if self.sale_lines is None:
            self.sale_lines = {}
            for line in self.order.order_line:
                self.sale_lines.setdefault(line.product_id, line)
        return self.sale_lines.get(product, self.env["sale.order.line"])

    def _write_shortage_lines(self, steps):
        ShortageLine = self.env["sbk.shortage.line"]
        lines = {}
        to_create = []
        for step in steps:
            line = step["line"]
            if line:
                line.write(
                    {
                        "required_qty": line.required_qty + step["required"],
                        "available_qty": line.available_qty + step["from_stock"],
                        "incoming_qty": line.incoming_qty + step["from_incoming"],
                        "shortage_qty": line.shortage_qty + step["shortage"],
                        "ordered_qty": line.ordered_qty + step["new_qty"],
                        "source": step["source"],
                        "vendor_id": step["seller"].partner_id.id if step["seller"] else False,
                    }
                )
                lines[step["product"]] = line
            else:
                to_create.append(
                    {
                        "sale_order_id": self.order.id,
                        "product_id": step["product"].id,
                        "level": step["level"],
                        "required_qty": step["required"],
                        "available_qty": step["from_stock"],
                        "incoming_qty": step["from_incoming"],
                        "shortage_qty": step["shortage"],
                        "ordered_qty": step["new_qty"],
                        "source": step["source"],
                        "vendor_id": step["seller"].partner_id.id if step["seller"] else False,
                    }
                )
        for line in ShortageLine.create(to_create):
            lines[line.product_id] = line
        return lines

    def _link_purchase_lines(self, lines):
        purchase_lines = self.env["purchase.order.line"].search(
            [
                ("sbk_shortage_line_id", "in", [line.id for line in lines.values()]),
                ("state", "!=", "cancel"),
            ]
        )
        for purchase_line in purchase_lines:
            purchase_line.sbk_shortage_line_id.purchase_line_id = purchase_line

    def _notify_missing_sources(self, steps):
        for step in steps:
            if step["source"] != "no_source" or not step["shortage"]:
                continue
            product = step["product"]
            responsible = product.responsible_id or self.order.user_id or self.env.user
            self.order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=self.env._("No source for %s", product.display_name),
                note=self.env._(
                    "%(order)s is short of %(qty)s %(uom)s of %(product)s, which has neither a "
                    "vendor nor a bill of materials: add a vendor on the product's Purchase tab "
                    "or a bill of materials, then plan it by hand.",
                    order=self.order.name,
                    qty=step["shortage"],
                    uom=product.uom_id.name,
                    product=product.display_name,
                ),
            )
