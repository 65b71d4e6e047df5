from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestShopSellsOnlyFreeStock(HttpCase):
    """1,000 on hand, 800 locked by an export order: the shop sells 200."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        if not company.country_id:
            company.country_id = cls.env.ref("base.cn")
        foreign = cls.env.ref("base.de")
        if company.country_id == foreign:
            foreign = cls.env.ref("base.fr")
        cls.website = cls.env["website"].get_current_website()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Shop Dinner Set",
                "is_storable": True,
                "list_price": 100,
                "is_published": True,
                "website_id": cls.website.id,
                "allow_out_of_stock_order": False,
                "show_availability": True,
                "available_threshold": 5000,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 1000
        )
        buyer = cls.env["res.partner"].create({"name": "Overseas Buyer", "country_id": foreign.id})
        cls.export = cls.env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 800})
                ],
            }
        )
        cls.export.action_confirm()
        # The lock holds the 800 whether or not the order's delivery reserved them: without
        # the reservation, Odoo alone would offer all 1,000 in the shop.
        cls.export.picking_ids.do_unreserve()
        cls.home = cls.env["res.partner"].create(
            {"name": "Shop Customer", "country_id": company.country_id.id}
        )

    def _cart(self, quantity):
        return self.env["sale.order"].create(
            {
                "partner_id": self.home.id,
                "website_id": self.website.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": quantity})
                ],
            }
        )

    def test_product_page_shows_what_no_export_order_holds(self):
        self.assertEqual(self.export.sbk_export_lock_ids.quantity, 800)
        self.assertEqual(self.product.with_context(warehouse_id=self.warehouse.id).free_qty, 1000)
        self.assertEqual(self.website._get_product_available_qty(self.product), 200)
        info = self.product.product_tmpl_id.with_context(
            website_id=self.website.id
        )._get_combination_info(product_id=self.product.id)
        self.assertEqual(info["free_qty"], 200)
        self.assertFalse(self.product._is_sold_out())

    def test_cart_above_the_free_stock_cannot_be_checked_out(self):
        cart = self._cart(201)
        with self.assertRaisesRegex(ValidationError, "only 200"):
            cart._check_cart_is_ready_to_be_paid()
        cart.order_line.product_uom_qty = 200
        self.assertEqual(cart._get_cart_and_free_qty(self.product), (200, 200))
        # Adding to the cart is capped at what is free.
        cart.order_line.product_uom_qty = 150
        allowed, warning = cart._verify_updated_quantity(cart.order_line, self.product.id, 201)
        self.assertEqual(allowed, 200)
        self.assertIn("only 200", warning)
        # The most a line may still ask for (no cart in the session here): the free 200.
        self.assertEqual(cart.order_line._get_max_available_qty(), 200)

    def test_released_lock_gives_the_shop_its_stock_back(self):
        self.export.sbk_export_lock_ids._release("test")
        self.assertEqual(self.website._get_product_available_qty(self.product), 1000)

    def test_tour_product_page_and_cart(self):
        self.start_tour(self.product.website_url, "sbk_export_reservation_shop", login=None)
