from collections import defaultdict

from odoo import Command, api, models

from ..tools.allocation import allocate

NO_ORDER = 0  # the key of the share of a charge that no order bears


class AccountPayment(models.Model):
    _inherit = "account.payment"

    @api.model
    def _sbk_split_bank_charge(self, write_off_vals, weights):
        """``write_off_vals`` (a write-off item of a payment's entry) as one item per order of
        ``weights`` (``{order id: weight}``), each tagged as that order's commission, exact to
        the cent in the payment's and the company's currency; the share under ``NO_ORDER``
        stays one untagged item."""
        if not weights or set(weights) == {NO_ORDER}:
            return [write_off_vals]
        currency = self.env["res.currency"].browse(write_off_vals["currency_id"])
        company_currency = self.env.company.currency_id
        amounts = allocate(
            write_off_vals["amount_currency"], weights, decimals=currency.decimal_places
        )
        balances = allocate(
            write_off_vals["balance"], weights, decimals=company_currency.decimal_places
        )
        result = []
        for key in sorted(weights, key=lambda k: (k == NO_ORDER, k)):
            vals = dict(write_off_vals, amount_currency=amounts[key], balance=balances[key])
            if key != NO_ORDER:
                vals["sbk_cost_dimension"] = "commission"
                vals["sbk_sale_order_ids"] = [Command.set([key])]
            result.append(vals)
        return result

    def _sbk_get_bank_charge_weights(self):
        """{order id: balance} of the payment's write-off items tagged as bank charges (with
        ``NO_ORDER`` for the untagged ones); empty when none is tagged."""
        self.ensure_one()
        _liquidity, _counterpart, write_off = self._seek_for_lines()
        tagged = write_off.filtered(
            lambda line: (
                line.sbk_cost_dimension == "commission" and len(line.sbk_sale_order_ids) == 1
            )
        )
        if not tagged:
            return {}
        weights = defaultdict(float)
        for line in write_off:
            key = line.sbk_sale_order_ids.id if line in tagged else NO_ORDER
            weights[key] += abs(line.balance)
        return dict(weights)

    def _synchronize_to_moves(self, changed_fields):
        # Odoo rebuilds the write-off of a payment changed in draft as one item, without what
        # its items carried: split the bank charges among their orders again, as they were.
        if not set(changed_fields).intersection(self._get_trigger_fields_to_synchronize()):
            return super()._synchronize_to_moves(changed_fields)
        weights = {pay.id: pay._sbk_get_bank_charge_weights() for pay in self if pay.move_id}
        super()._synchronize_to_moves(changed_fields)
        for pay in self:
            if weights.get(pay.id):
                pay._sbk_split_write_off_again(weights[pay.id])

    def _sbk_split_write_off_again(self, weights):
        self.ensure_one()
        _liquidity, _counterpart, write_off = self._seek_for_lines()
        if len(write_off) != 1 or write_off.sbk_cost_dimension:
            return  # not rebuilt (no field of the entry changed) or not by Odoo's rule
        vals = {
            "name": write_off.name,
            "account_id": write_off.account_id.id,
            "partner_id": write_off.partner_id.id,
            "currency_id": write_off.currency_id.id,
            "amount_currency": write_off.amount_currency,
            "balance": write_off.balance,
        }
        commands = [Command.delete(write_off.id)] + [
            Command.create(split)
            for split in self.with_company(self.company_id)._sbk_split_bank_charge(vals, weights)
        ]
        self.move_id.with_context(
            skip_invoice_sync=True, skip_account_move_synchronization=True
        ).write({"line_ids": commands})
