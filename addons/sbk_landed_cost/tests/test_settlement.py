from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestSettlement(LandedCostCommon):
    """Settling an export order freezes its cost sheet; what arrives later is an adjustment
    (#16)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.shade, cls.stock, 1000)

    def test_late_bill_after_settlement_is_an_adjustment(self):
        # 1,000 shades FOB at 5.00 from stock at 3.00: 5,000 - 3,000 - 390 + 270 = 1,880.00
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        with self.assertRaisesRegex(UserError, "delivered, invoiced, cleared by customs"):
            order.action_sbk_settle()
        self._cleared_declaration(order)
        with self.assertRaisesRegex(UserError, "invoiced"):
            order.action_sbk_settle()
        self._invoice(order, "2024-11-25")
        order.with_user(self.manager).action_sbk_settle()
        settlement = order.sbk_settlement_id
        self.assertTrue(order.sbk_settled)
        self.assertMoney(settlement.real_profit, 1880.0)
        self.assertMoney(settlement.revenue, 5000.0)
        self.assertMoney(settlement.procurement, 3000.0)
        self.assertMoney(sum(settlement.line_ids.mapped("amount")), 3000 + 390 + 270)
        attachment = settlement.attachment_id
        self.assertTrue(attachment.raw.startswith(b"%PDF"), "the printed sheet is a PDF")
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.name.endswith(".pdf"))
        self.assertMoney(order.sbk_adjustment_after_settlement, 0.0)
        with self.assertRaisesRegex(UserError, "settled already"):
            order.action_sbk_settle()

        # The trucker's bill arrives late: 150.00 of domestic freight.
        self._bill([(self.trucking, 150.0, order)], date="2024-12-20")
        self.assertMoney(order.sbk_real_profit, 1730.0)
        self.assertMoney(order.sbk_settled_real_profit, 1880.0)
        self.assertMoney(settlement.real_profit, 1880.0, "the frozen figures do not move")
        self.assertMoney(settlement.domestic_freight, 0.0)
        self.assertMoney(order.sbk_adjustment_after_settlement, -150.0)

    def test_only_a_manager_unsettles_with_a_reason(self):
        order = self._order([(self.shade, 1000, 5.0)], incoterm=self.incoterm_fob)
        self._cleared_declaration(order)
        self._invoice(order, "2024-11-25")
        order.action_sbk_settle()
        settlement = order.sbk_settlement_id
        with self.assertRaises(AccessError):
            order.with_user(self.accountant).action_sbk_unsettle()
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(self.manager).action_sbk_unsettle()
        with self.assertRaisesRegex(UserError, "buttons"):
            order.write({"sbk_settlement_id": False})
        order.sbk_unsettle_reason = "Freight bill booked on the wrong order"
        order.with_user(self.manager).action_sbk_unsettle()
        self.assertFalse(order.sbk_settled)
        self.assertFalse(settlement.active)
        self.assertIn("Freight bill booked on the wrong order", order.message_ids[0].body)
        self.assertMoney(order.sbk_adjustment_after_settlement, 0.0)
