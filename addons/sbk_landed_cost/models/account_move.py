import logging

from odoo import models
from odoo.exceptions import UserError

from ..tools.allocation import AllocationError
from .cost_builder import OrderCostBuilder

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    def _sbk_affected_orders(self):
        """``(orders, sharing)``: the orders whose figures depend on these entries (those named
        on their cost lines, those whose generated purchases they bill, those they invoice) and,
        among them, those whose revenue changes (the ``value`` allocation weight: the orders
        sharing costs with them follow)."""
        # Read as superuser: the accountant posting a bill need not read sale orders.
        lines = self.sudo().line_ids
        cost_orders = lines.filtered("sbk_cost_dimension").sbk_sale_order_ids
        product_lines = lines.filtered(lambda line: line.display_type == "product")
        revenue_orders = product_lines.sale_line_ids.order_id
        # A vendor bill of a purchase generated for an order sets the VAT rate of its rebate.
        purchase_orders = product_lines.purchase_line_id.order_id.sbk_sale_order_id
        return cost_orders | purchase_orders | revenue_orders, revenue_orders

    def _post(self, soft=True):
        self._sbk_check_cost_allocation()
        posted = super()._post(soft=soft)
        orders, sharing = posted._sbk_affected_orders()
        orders._sbk_update_costs(sharing=sharing)
        return posted

    def button_draft(self):
        orders, sharing = self.filtered(lambda m: m.state == "posted")._sbk_affected_orders()
        result = super().button_draft()
        orders._sbk_update_costs(sharing=sharing)
        return result

    def button_cancel(self):
        orders, sharing = self.filtered(lambda m: m.state == "posted")._sbk_affected_orders()
        result = super().button_cancel()
        orders._sbk_update_costs(sharing=sharing)
        return result

    def _sbk_check_cost_allocation(self):
        """Refuse to post a cost shared by orders that carry no weight on its basis: the bill's
        own data is incomplete and the user can fix it now."""
        lines = self.line_ids.filtered(
            lambda line: line.sbk_cost_dimension and len(line.sbk_sale_order_ids) > 1
        )
        if not lines:
            return
        # Superuser: the accountant need not read the orders the bill names.
        builder = OrderCostBuilder(lines.sbk_sale_order_ids.sudo())
        try:
            weights = builder.get_allocation_weights()
        except Exception:  # cost code must never block posting: the recompute will report it
            _logger.warning("Allocation weights of %s not computed", self.ids, exc_info=True)
            return
        for line in lines:
            try:
                builder.allocate(
                    line.sbk_sale_order_ids.sudo(),
                    line.balance,
                    line.sbk_allocation_basis or "value",
                    weights,
                )
            except AllocationError:
                basis = dict(
                    line._fields["sbk_allocation_basis"]._description_selection(self.env)
                ).get(line.sbk_allocation_basis or "value")
                raise UserError(
                    self.env._(
                        "%(line)s cannot be split by %(basis)s: none of the orders %(orders)s has "
                        "any %(basis)s. Fill in the products' packing (carton weight and size) or "
                        "choose another allocation basis.",
                        line=line.name or line.product_id.display_name or line.move_id.name,
                        basis=basis,
                        orders=", ".join(line.sbk_sale_order_ids.sudo().mapped("name")),
                    )
                ) from None
