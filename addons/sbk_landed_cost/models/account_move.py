from odoo import models
from odoo.exceptions import UserError

from ..tools.allocation import AllocationError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _sbk_affected_orders(self):
        """Orders whose figures depend on these entries: the orders named on their cost lines
        (only those), the orders whose generated purchases they bill, and the orders they
        invoice together with the orders sharing costs with them (revenue is the ``value``
        allocation weight)."""
        # Read as superuser: the accountant posting a bill need not read sale orders.
        lines = self.sudo().line_ids
        cost_orders = lines.filtered("sbk_cost_dimension").sbk_sale_order_ids
        product_lines = lines.filtered(lambda line: line.display_type == "product")
        revenue_orders = product_lines.sale_line_ids.order_id
        # A vendor bill of a purchase generated for an order sets the VAT rate of its rebate.
        purchase_orders = product_lines.purchase_line_id.order_id.sbk_sale_order_id
        return cost_orders | purchase_orders | revenue_orders._sbk_with_sharing_orders()

    def _post(self, soft=True):
        self._sbk_check_cost_allocation()
        posted = super()._post(soft=soft)
        posted._sbk_affected_orders()._sbk_recompute_costs()
        return posted

    def button_draft(self):
        affected = self.filtered(lambda m: m.state == "posted")._sbk_affected_orders()
        result = super().button_draft()
        affected._sbk_recompute_costs()
        return result

    def button_cancel(self):
        affected = self.filtered(lambda m: m.state == "posted")._sbk_affected_orders()
        result = super().button_cancel()
        affected._sbk_recompute_costs()
        return result

    def _sbk_check_cost_allocation(self):
        """Refuse to post a cost shared by orders that carry no weight on its basis."""
        lines = self.line_ids.filtered(
            lambda line: line.sbk_cost_dimension and len(line.sbk_sale_order_ids) > 1
        )
        if not lines:
            return
        weights = lines.sbk_sale_order_ids.sudo()._sbk_get_allocation_weights()
        for line in lines:
            try:
                line.sbk_sale_order_ids.sudo()._sbk_allocate(
                    line.balance, line.sbk_allocation_basis or "value", weights
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
