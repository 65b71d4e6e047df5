"""What an export order no longer needs, taken back from the documents its planning made.

Not a model: the supply planner runs it when a confirmed export order's quantity is lowered
(or a line set to zero). Level by level, top-down, each shortage line gives back what the
order no longer requires: its shortage first, so the documents ordered for it shrink. Draft
RFQ lines are reduced (removed at zero, an RFQ left empty is cancelled) and MOs not yet
started are reduced (cancelled at zero); a manufactured product's cut releases its
components in turn. What has started (a confirmed purchase, an MO in progress) is left as it
is: an activity on the order lists those documents with the quantity no longer needed, for a
person to decide.
"""

from collections import defaultdict

from odoo.tools import float_is_zero, formatLang

from ..tools.notes import html_list
from ..tools.planning import Netting, allocate_cut, order_quantity, release_requirement

MO_NOT_STARTED = ("draft", "confirmed")
RFQ_STATES = ("draft", "sent")


class SupplyReduction:
    def __init__(self, planner):
        self.planner = planner
        self.order = planner.order
        self.env = planner.env
        self.precision = planner.precision
        self.applied = []  # (document, product, old qty, new qty) reduced or cancelled here
        self.decisions = []  # (document, product, qty no longer needed) left to a person

    def run(self, existing, roots, excluded):
        """Give back what the order's shortage lines ``existing`` ({product: line}) hold
        beyond the order's current requirements ``roots``; ``excluded`` products are left to
        Odoo's own make-to-order routes."""
        removed = defaultdict(float)
        for product, line in existing.items():
            if line.level != 0 or product in excluded:
                continue
            gone = line.required_qty - roots.get(product, 0.0)
            if not self._is_zero(gone) and gone > 0:
                removed[product] += gone
        if not removed:
            return
        for line in sorted(existing.values(), key=lambda ln: (ln.level, ln.id)):
            quantity = removed.get(line.product_id, 0.0)
            if self._is_zero(quantity) or quantity < 0:
                continue
            cut = self._release(line, quantity)
            if line.source == "manufacture" and not self._is_zero(cut):
                for component, per_unit in self.planner.children.get(line.product_id, []):
                    removed[component] += cut * per_unit
        self._report()

    def _is_zero(self, quantity):
        return float_is_zero(quantity, precision_digits=self.precision)

    def _release(self, line, quantity):
        """Take ``quantity`` off ``line``'s requirement; return what its documents were cut."""
        left = release_requirement(
            Netting(line.available_qty, line.incoming_qty, line.shortage_qty), quantity
        )
        cut = 0.0
        if line.source in ("manufacture", "purchase"):
            target = self._target_quantity(line, left.shortage)
            excess = line.ordered_qty - target
            if not self._is_zero(excess) and excess > 0:
                if line.source == "manufacture":
                    cut = self._cut_productions(line, excess)
                else:
                    cut = self._cut_purchases(line, excess)
        line.write(
            {
                "required_qty": max(line.required_qty - quantity, 0.0),
                "available_qty": left.from_stock,
                "incoming_qty": left.from_incoming,
                "shortage_qty": left.shortage,
                "ordered_qty": max(line.ordered_qty - cut, 0.0),
            }
        )
        return cut

    def _target_quantity(self, line, shortage):
        """What the line's documents should still hold: the shortage left, rounded up to the
        MOQ and (for a purchase) the vendor's minimum, as planning rounds it."""
        product = line.product_id
        if line.source == "manufacture":
            return order_quantity(shortage, product.sbk_moq)
        seller = self.planner._find_seller(product, shortage)
        minimum = 0.0
        if seller:
            minimum = seller.product_uom._compute_quantity(seller.min_qty, product.uom_id)
        return order_quantity(shortage, product.sbk_moq, minimum)

    def _cut_productions(self, line, excess):
        product = line.product_id
        productions = line.production_ids.filtered(lambda p: p.state != "cancel").sorted(
            "id", reverse=True
        )
        quantities = [
            p.product_uom_id._compute_quantity(p.product_qty, product.uom_id) for p in productions
        ]
        cuts, left = allocate_cut(
            excess,
            [
                (qty, p.state in MO_NOT_STARTED and self._is_zero(p.qty_producing))
                for p, qty in zip(productions, quantities, strict=True)
            ],
        )
        for production, quantity, cut in zip(productions, quantities, cuts, strict=True):
            if self._is_zero(cut):
                continue
            new_qty = quantity - cut
            # The order's planning reduces the sub-assemblies below itself: Odoo's own
            # "quantity changed" warnings on the linked MOs would repeat it.
            production = production.with_context(skip_activity=True)
            if self._is_zero(new_qty):
                production.action_cancel()
            else:
                self.env["change.production.qty"].with_context(skip_activity=True).create(
                    {
                        "mo_id": production.id,
                        "product_qty": product.uom_id._compute_quantity(
                            new_qty, production.product_uom_id
                        ),
                    }
                ).change_prod_qty()
            self.applied.append((production, product, quantity, new_qty))
        if left:
            self._ask(productions, quantities, cuts, left, product)
        return excess - left

    def _cut_purchases(self, line, excess):
        product = line.product_id
        purchase_lines = (
            self.env["purchase.order.line"]
            .search([("sbk_shortage_line_id", "=", line.id), ("state", "!=", "cancel")])
            .sorted("id", reverse=True)
        )
        quantities = [
            pol.product_uom._compute_quantity(pol.product_qty, product.uom_id)
            for pol in purchase_lines
        ]
        cuts, left = allocate_cut(
            excess,
            [
                (qty, pol.order_id.state in RFQ_STATES)
                for pol, qty in zip(purchase_lines, quantities, strict=True)
            ],
        )
        emptied = self.env["purchase.order"]
        for purchase_line, quantity, cut in zip(purchase_lines, quantities, cuts, strict=True):
            if self._is_zero(cut):
                continue
            new_qty = quantity - cut
            purchase = purchase_line.order_id
            if self._is_zero(new_qty):
                purchase_line.unlink()
                if not purchase.order_line.filtered(lambda pol: not pol.display_type):
                    emptied |= purchase
            else:
                purchase_line.product_qty = product.uom_id._compute_quantity(
                    new_qty, purchase_line.product_uom
                )
            self.applied.append((purchase, product, quantity, new_qty))
        emptied.button_cancel()
        if left:
            self._ask([pol.order_id for pol in purchase_lines], quantities, cuts, left, product)
        return excess - left

    def _ask(self, documents, quantities, cuts, left, product):
        """Record the started documents holding ``left`` no longer needed, newest first."""
        for document, quantity, cut in zip(documents, quantities, cuts, strict=True):
            if left <= 0:
                break
            if not self._is_zero(cut):
                continue
            share = min(left, quantity)
            self.decisions.append((document, product, share))
            left -= share

    def _report(self):
        order = self.order
        if self.applied:
            items = [
                self.env._(
                    "%(document)s: %(product)s %(old)s → %(new)s %(uom)s",
                    document=document.display_name,
                    product=product.display_name,
                    old=self._format(old),
                    new=self._format(new),
                    uom=product.uom_id.name,
                )
                for document, product, old, new in self.applied
            ]
            order.message_post(
                body=html_list(
                    self.env._("Quantity lowered: the documents planned for it were reduced."),
                    items,
                ),
                subtype_xmlid="mail.mt_note",
            )
        if self.decisions:
            items = [
                self.env._(
                    "%(document)s (%(state)s): %(qty)s %(uom)s of %(product)s no longer needed",
                    document=document.display_name,
                    state=dict(document._fields["state"]._description_selection(self.env)).get(
                        document.state
                    ),
                    qty=self._format(quantity),
                    uom=product.uom_id.name,
                    product=product.display_name,
                )
                for document, product, quantity in self.decisions
            ]
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=order.user_id.id or self.env.uid,
                summary=self.env._("Lowered quantity: started documents to review"),
                note=html_list(
                    self.env._(
                        "%s needs less than was planned, but these documents have started: "
                        "reduce them with the vendor or the workshop, or keep the surplus in "
                        "stock.",
                        order.name,
                    ),
                    items,
                ),
            )

    def _format(self, quantity):
        return formatLang(self.env, quantity, dp="Product Unit of Measure")
