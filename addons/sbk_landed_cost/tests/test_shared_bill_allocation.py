from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LandedCostCommon

# 1,234.57 for three orders: 1,000 lamps at 10.00 (20 cartons, 1.44 m³, 440 kg), 333 shades at
# 7.00 (17 cartons, 1.36 m³, 250.1 kg), 125 lamps at 11.00 (3 cartons, 0.216 m³, 56 kg).
EXPECTED = {
    "value": (900.75, 209.97, 123.85),
    "gross_weight": (728.07, 413.84, 92.66),
    "volume": (589.45, 556.70, 88.42),
    "quantity": (846.76, 281.97, 105.84),
    "cartons": (617.29, 524.69, 92.59),
}


@tagged("post_install", "-at_install")
class TestSharedBillAllocation(LandedCostCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = (
            cls.env["sale.order"]
            .create(
                [
                    cls._order_vals(cls.lamp, 1000, 10.0),
                    cls._order_vals(cls.shade, 333, 7.0),
                    cls._order_vals(cls.lamp, 125, 11.0),
                ]
            )
            .sorted("id")
        )

    @classmethod
    def _order_vals(cls, product, quantity, price):
        return {
            "partner_id": cls.buyer.id,
            "incoterm": cls.incoterm_fob.id,
            "order_line": [
                (0, 0, {"product_id": product.id, "product_uom_qty": quantity, "price_unit": price})
            ],
        }

    def test_forwarder_bill_split_on_each_basis_to_the_cent(self):
        self._bill([(self.ocean_freight, 1234.57, self.orders, basis) for basis in EXPECTED])
        for basis, expected in EXPECTED.items():
            shares = []
            for order in self.orders:
                cost = order.sbk_cost_ids.filtered(lambda c, b=basis: c.allocation_basis == b)
                self.assertEqual(len(cost), 1)
                self.assertMoney(cost.source_amount, 1234.57)
                shares.append(round(cost.amount, 2))
            self.assertEqual(tuple(shares), expected, basis)
            self.assertMoney(sum(shares), 1234.57, f"{basis} shares sum to the bill")
        self.assertMoney(sum(self.orders.mapped("sbk_cost_ocean_freight")), 1234.57 * 5)

    def test_split_does_not_depend_on_the_order_of_the_orders(self):
        self._bill([(self.customs, 1234.57, self.orders.sorted("id", reverse=True), "cartons")])
        self.assertEqual(
            tuple(round(o.sbk_cost_customs_fee, 2) for o in self.orders), EXPECTED["cartons"]
        )

    def test_refund_splits_with_the_sign_back(self):
        self._bill([(self.ocean_freight, 1234.57, self.orders, "volume")], move_type="in_refund")
        self.assertEqual(
            tuple(round(o.sbk_cost_ocean_freight, 2) for o in self.orders),
            tuple(-share for share in EXPECTED["volume"]),
        )

    def test_delivered_quantities_replace_the_ordered_ones(self):
        self._stock(self.lamp, 1000)
        self.orders[0].action_confirm()
        self._deliver(self.orders[0], {self.lamp: 500})
        self._bill([(self.trucking, 100.0, self.orders[0] | self.orders[2], "quantity")])
        # 500 delivered against 125 ordered (nothing delivered yet): 80 / 20
        self.assertMoney(self.orders[0].sbk_cost_domestic_freight, 80.0)
        self.assertMoney(self.orders[2].sbk_cost_domestic_freight, 20.0)

    def test_basis_without_data_is_refused_with_the_orders_named(self):
        bare = self.env["product.product"].create({"name": "Loose Goods", "is_storable": True})
        orders = self.env["sale.order"].create(
            [self._order_vals(bare, 10, 1.0), self._order_vals(bare, 20, 1.0)]
        )
        bill = self._bill([(self.trucking, 90.0, orders, "gross_weight")], post=False)
        with self.assertRaisesRegex(UserError, orders[0].name):
            bill.action_post()
        bill.invoice_line_ids.sbk_allocation_basis = "quantity"
        bill.action_post()
        self.assertEqual(orders.mapped("sbk_cost_domestic_freight"), [30.0, 60.0])
