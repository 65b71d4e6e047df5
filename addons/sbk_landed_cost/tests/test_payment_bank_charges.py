from unittest.mock import patch

from odoo import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.cost_builder import OrderCostBuilder
from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestPaymentBankCharges(LandedCostCommon):
    """A Chinese exporter (books in CNY) invoices its buyer in USD; the buyer's bank and the
    correspondent banks keep USD 30.00 of the transfer. Registered as a payment difference
    written off to bank charges, it is the commission cost of the paid orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cny = cls.env.ref("base.CNY")
        cls.usd = cls.env.ref("base.USD")
        (cny | cls.usd).active = True
        cls.cn_company = cls.env["res.company"].create(
            {
                "name": "Ningbo Lamps Export Co.",
                "currency_id": cny.id,
                "country_id": cls.env.ref("base.cn").id,
                "sbk_rebate_method": "exempt_refund",
            }
        )
        cls.env.user.company_ids |= cls.cn_company
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.cn_company, install_demo=False
        )
        cls.cn_company.currency_id = cny  # the chart's own currency is USD
        # What loading the chart gave the company, before the tests set their own account.
        cls.chart_bank_fees = cls.cn_company.sbk_bank_charge_account_id
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.cn_company.ids))
        cls.env["res.currency.rate"].create(
            [
                {
                    "name": date,
                    "currency_id": cls.usd.id,
                    "company_id": cls.cn_company.id,
                    "inverse_company_rate": rate,
                }
                for date, rate in (("2024-03-01", 7.10), ("2024-03-20", 7.13))
            ]
        )
        cls.bank_charge_account = cls.env["account.account"].create(
            {
                "code": "660301",
                "name": "Bank Charges",
                "account_type": "expense",
                "company_ids": cls.cn_company.ids,
            }
        )
        cls.cn_company.sbk_bank_charge_account_id = cls.bank_charge_account
        cls.usd_pricelist = cls.env["product.pricelist"].create(
            {"name": "USD export", "currency_id": cls.usd.id, "company_id": cls.cn_company.id}
        )
        cls.desk_lamp = cls.env["product.product"].create(
            {"name": "Desk Lamp", "type": "consu", "invoice_policy": "order", "taxes_id": False}
        )
        cls.usd_bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.cn_company.id)], limit=1
        )
        # The outstanding accounts through which the wizard books payments (and so can write a
        # difference off), as Settings > Accounting sets them.
        chart = cls.env["account.chart.template"].with_company(cls.cn_company)
        cls.usd_bank.inbound_payment_method_line_ids[:1].payment_account_id = chart.ref(
            "account_journal_payment_debit_account_id"
        )
        cls.usd_bank.outbound_payment_method_line_ids[:1].payment_account_id = chart.ref(
            "account_journal_payment_credit_account_id"
        )
        cls.cashier = new_test_user(
            cls.env,
            "lc_cn_cashier",
            groups="account.group_account_invoice",
            company_id=cls.cn_company.id,
            company_ids=cls.cn_company.ids,
        )

    def _usd_order(self, amount):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.buyer.id,
                "pricelist_id": self.usd_pricelist.id,
                "company_id": self.cn_company.id,
                "incoterm": self.incoterm_fob.id,
                "sbk_trade_type": "export",
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.desk_lamp.id,
                            "product_uom_qty": 100,
                            "price_unit": amount / 100,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _usd_invoice(self, orders):
        invoice = orders._create_invoices()
        invoice.invoice_date = "2024-03-01"
        invoice.action_post()
        return invoice

    def _receive(self, invoices, amount, account=None, bank_charge=None):
        """The cashier registers the receipt in the wizard, the shortfall marked fully paid
        (to the bank charges account the wizard proposes unless ``account`` is given)."""
        wizard = Form(
            self.env["account.payment.register"]
            .with_user(self.cashier)
            .with_context(active_model="account.move", active_ids=invoices.ids)
        )
        wizard.payment_date = "2024-03-20"
        wizard.journal_id = self.usd_bank
        if len(invoices) > 1:
            wizard.group_payment = True
        wizard.amount = amount
        wizard.payment_difference_handling = "reconcile"
        if account:
            wizard.writeoff_account_id = account
        if bank_charge is not None:
            wizard.sbk_bank_charge = bank_charge
        return wizard.save()._create_payments()

    def test_usd_withheld_is_the_orders_commission_at_the_payment_rate(self):
        order = self._usd_order(1000.0)
        invoice = self._usd_invoice(order)
        self.assertEqual(order.sbk_revenue, 7100.0)
        payment = self._receive(invoice, 970.0)
        self.assertEqual(invoice.payment_state, "paid")
        charge = payment.move_id.line_ids.filtered("sbk_cost_dimension")
        self.assertEqual(charge.account_id, self.bank_charge_account)
        self.assertEqual(charge.amount_currency, 30.0)
        self.assertEqual(charge.balance, 213.90)
        self.assertEqual(order.sbk_cost_commission, 213.90)
        cost = self._costs(order, "commission")
        self.assertEqual(cost.amount, 213.90)
        self.assertEqual(cost.source_ref, payment)
        self.assertEqual(cost.source_name, payment.display_name)
        self.assertEqual(str(cost.date), "2024-03-20")

    def test_the_chart_gives_the_bank_charges_account(self):
        chart = self.env["account.chart.template"].with_company(self.cn_company)
        self.assertEqual(self.chart_bank_fees, chart.ref("expense_finance"))
        self.assertEqual(self.chart_bank_fees.name, "Bank Fees")

    def test_without_a_bank_charges_account_an_expense_write_off_is_bank_charges(self):
        # The scenario on a company whose bank charges account is not set: USD 970
        # received against 1,000, the difference written off to an expense account.
        self.cn_company.sbk_bank_charge_account_id = False
        bank_fees = (
            self.env["account.chart.template"].with_company(self.cn_company).ref("expense_finance")
        )
        order = self._usd_order(1000.0)
        invoice = self._usd_invoice(order)
        payment = self._receive(invoice, 970.0, account=bank_fees)
        self.assertEqual(invoice.payment_state, "paid")
        charge = payment.move_id.line_ids.filtered("sbk_cost_dimension")
        self.assertEqual(charge.account_id, bank_fees)
        self.assertEqual(order.sbk_cost_commission, 213.90)

    def test_without_a_bank_charges_account_other_write_offs_stay_off_the_order(self):
        self.cn_company.sbk_bank_charge_account_id = False
        order = self._usd_order(1000.0)
        income = self.env["account.account"].search(
            [("account_type", "=", "income_other"), ("company_ids", "in", self.cn_company.id)],
            limit=1,
        )
        self._receive(self._usd_invoice(order), 970.0, account=income)
        self.assertEqual(order.sbk_cost_commission, 0.0)

    def test_difference_kept_as_bank_charges_on_another_account(self):
        order = self._usd_order(1000.0)
        invoice = self._usd_invoice(order)
        other = self.env["account.account"].search(
            [
                ("account_type", "=", "expense"),
                ("company_ids", "in", self.cn_company.id),
                ("id", "!=", self.bank_charge_account.id),
            ],
            limit=1,
        )
        self._receive(invoice, 970.0, account=other, bank_charge=True)
        self.assertEqual(order.sbk_cost_commission, 213.90)

    def test_write_off_that_is_no_bank_charge_stays_off_the_order(self):
        order = self._usd_order(1000.0)
        invoice = self._usd_invoice(order)
        payment = self._receive(invoice, 970.0, bank_charge=False)
        self.assertFalse(payment.move_id.line_ids.filtered("sbk_cost_dimension"))
        self.assertEqual(order.sbk_cost_commission, 0.0)

    def test_one_payment_for_two_invoices_splits_by_their_paid_amounts(self):
        big, small = self._usd_order(1000.0), self._usd_order(500.0)
        invoices = self._usd_invoice(big) | self._usd_invoice(small)
        payment = self._receive(invoices, 1470.0)
        charges = payment.move_id.line_ids.filtered("sbk_cost_dimension")
        self.assertEqual(sorted(charges.mapped("amount_currency")), [10.0, 20.0])
        self.assertEqual(round(sum(charges.mapped("balance")), 2), 213.90)
        # 213.90 x 2/3 = 142.60, x 1/3 = 71.30
        self.assertEqual(big.sbk_cost_commission, 142.60)
        self.assertEqual(small.sbk_cost_commission, 71.30)

    def test_one_invoice_for_two_orders_splits_by_their_amounts(self):
        first, second = self._usd_order(600.0), self._usd_order(400.0)
        invoice = self._usd_invoice(first | second)
        self.assertEqual(len(invoice), 1)
        self._receive(invoice, 970.0)
        # USD 18.00 and 12.00; 213.90 x 0.6 = 128.34, x 0.4 = 85.56
        self.assertEqual(first.sbk_cost_commission, 128.34)
        self.assertEqual(second.sbk_cost_commission, 85.56)

    def test_cancelling_the_payment_takes_the_charge_back_out(self):
        order = self._usd_order(1000.0)
        payment = self._receive(self._usd_invoice(order), 970.0)
        self.assertEqual(order.sbk_cost_commission, 213.90)
        payment.action_draft()
        payment.action_cancel()
        self.assertEqual(order.sbk_cost_commission, 0.0)
        self.assertFalse(self._costs(order, "commission"))

    def test_correcting_the_payment_in_draft_keeps_the_split(self):
        big, small = self._usd_order(1000.0), self._usd_order(500.0)
        payment = self._receive(self._usd_invoice(big) | self._usd_invoice(small), 1470.0)
        payment.action_draft()
        # Odoo rebuilds the entry's write-off as one item on any change of the payment.
        payment.write({"date": "2024-03-21", "memo": "Receipt corrected"})
        payment.action_post()
        charges = payment.move_id.line_ids.filtered("sbk_cost_dimension")
        self.assertEqual(sorted(charges.mapped("amount_currency")), [10.0, 20.0])
        self.assertEqual(big.sbk_cost_commission, 142.60)
        self.assertEqual(small.sbk_cost_commission, 71.30)

    def test_reversing_the_payment_takes_the_charge_back_out(self):
        order = self._usd_order(1000.0)
        payment = self._receive(self._usd_invoice(order), 970.0)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=payment.move_id.ids)
            .create({"journal_id": payment.journal_id.id, "date": "2024-03-25"})
        )
        reversal.refund_moves()
        self.assertEqual(order.sbk_cost_commission, 0.0)

    def test_the_wizard_proposes_the_bank_charges_account(self):
        invoice = self._usd_invoice(self._usd_order(1000.0))
        wizard = Form(
            self.env["account.payment.register"]
            .with_user(self.cashier)
            .with_context(active_model="account.move", active_ids=invoice.ids)
        )
        wizard.journal_id = self.usd_bank
        wizard.amount = 970.0
        self.assertFalse(wizard.sbk_bank_charge)
        wizard.payment_difference_handling = "reconcile"
        self.assertEqual(wizard.writeoff_account_id, self.bank_charge_account)
        self.assertEqual(wizard.writeoff_label, "Bank Charges")
        self.assertTrue(wizard.sbk_bank_charge)

    def test_vendor_payment_write_off_is_no_order_cost(self):
        order = self._usd_order(1000.0)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.vendor.id,
                "invoice_date": "2024-03-01",
                "currency_id": self.usd.id,
                "invoice_line_ids": [
                    Command.create({"name": "Lamps", "price_unit": 500.0, "tax_ids": False})
                ],
            }
        )
        bill.action_post()
        # Even forced over RPC: a difference on a vendor payment is no customer's bank charge.
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.cashier)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create(
                {
                    "payment_date": "2024-03-20",
                    "amount": 490.0,
                    "payment_difference_handling": "reconcile",
                    "writeoff_account_id": self.bank_charge_account.id,
                    "sbk_bank_charge": True,
                }
            )
        )
        payment = wizard._create_payments()
        self.assertEqual(bill.payment_state, "paid")
        self.assertFalse(payment.move_id.line_ids.filtered("sbk_cost_dimension"))
        self.assertEqual(order.sbk_cost_commission, 0.0)

    def test_payment_registers_when_the_cost_code_fails(self):
        order = self._usd_order(1000.0)
        invoice = self._usd_invoice(order)

        def broken_build(_builder):
            raise ZeroDivisionError("a bug in the cost code")

        with (
            patch.object(OrderCostBuilder, "build", broken_build),
            mute_logger("odoo.addons.sbk_landed_cost.models.sale_order"),
        ):
            payment = self._receive(invoice, 970.0)
        self.assertEqual(payment.state, "paid")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(order.sbk_cost_state, "pending")
        self.env["sale.order"]._cron_sbk_recompute_costs()
        self.assertEqual(order.sbk_cost_commission, 213.90)
