from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    """The demo database holds the seed's five scenes, made by the product's flows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("sbk_demo.company_ningbo")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))

    def test_company_is_a_chinese_exporter_in_cny_for_the_demo_users(self):
        self.assertEqual(self.company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(self.company.country_id, self.env.ref("base.cn"))
        self.assertEqual(self.company.chart_template, "cn")
        for user in ("base.user_admin", "sbk_demo.user_trade", "sbk_demo.user_warehouse"):
            self.assertEqual(self.env.ref(user).company_id, self.company, user)

    def test_export_sales_are_zero_rated_domestic_sales_carry_13_percent_vat(self):
        settled = self.env.ref("sbk_demo.order_settled")
        domestic = self.env.ref("sbk_demo.order_domestic")
        fiscal_position = self.env.ref("sbk_demo.fiscal_position_export")
        self.assertEqual(settled.fiscal_position_id, fiscal_position)
        mapping = fiscal_position.tax_ids
        self.assertEqual((mapping.tax_src_id.amount, mapping.tax_dest_id.amount), (13.0, 0.0))
        self.assertEqual(settled.invoice_ids.amount_tax, 0.0)
        self.assertEqual(settled.order_line.tax_id, mapping.tax_dest_id)
        self.assertAlmostEqual(domestic.amount_tax, 200 * 95.0 * 0.13, places=2)

    def test_scene_1_contract_runs_the_domestic_chain(self):
        order = self.env.ref("sbk_demo.order_contract")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id.name, "Hamburg Licht GmbH")
        self.assertEqual((order.incoterm.code, order.sbk_port_of_loading), ("FOB", "Ningbo"))
        self.assertTrue(order.sbk_etd)
        self.assertEqual(sum(order.order_line.mapped("product_uom_qty")), 1000)
        productions = order.sbk_production_ids
        self.assertEqual(sorted(productions.mapped("product_id.default_code")), ["ENG18", "LED18W"])
        self.assertEqual(set(productions.mapped("product_qty")), {1000.0})
        # Multi-level: the light engine's own components are on the shortage list too.
        self.assertEqual(
            set(order.sbk_shortage_line_ids.product_id.mapped("default_code")),
            {"LED18W", "ENG18", "HSG300", "DIF300", "LEDM18", "DRV18"},
        )
        purchases = order.sbk_purchase_order_ids
        self.assertEqual(len(purchases), 3)
        self.assertEqual(len(purchases.partner_id), 3, "one RFQ per vendor")
        messages = self.env["sbk.mes.message"].search([("production_id", "in", productions.ids)])
        self.assertEqual(sorted(messages.mapped("method")), ["push_job", "push_job"])

    def test_scene_2_export_locks_800_and_the_domestic_order_gets_200(self):
        export = self.env.ref("sbk_demo.order_locked")
        domestic = self.env.ref("sbk_demo.order_domestic")
        panel = export.order_line.product_id
        self.assertEqual(panel.with_company(self.company).qty_available, 1000)
        self.assertEqual(export.sbk_export_lock_ids.mapped("quantity"), [800.0])
        delivery = domestic.picking_ids
        self.assertEqual(
            (delivery.state, sum(delivery.move_ids.mapped("quantity"))), ("assigned", 200)
        )

    def test_scene_3_settled_order_shows_apparent_and_real_margin_apart(self):
        order = self.env.ref("sbk_demo.order_settled")
        shipment = self.env.ref("sbk_demo.shipment_settled")
        self.assertEqual(shipment.state, "cleared")
        self.assertEqual(self.env.ref("sbk_demo.declaration_settled").state, "cleared")
        self.assertEqual(order.invoice_ids.state, "posted")
        self.assertAlmostEqual(order.sbk_revenue, 52500.0, places=2)
        self.assertAlmostEqual(order.sbk_apparent_profit / order.sbk_revenue * 100, 22.0, places=2)
        self.assertAlmostEqual(order.sbk_real_margin, 18.0, places=2)
        self.assertTrue(order.sbk_costs_complete)
        for dimension, amount in (
            ("sbk_cost_domestic_freight", 450.0),
            ("sbk_cost_customs_fee", 250.0),
            ("sbk_cost_ocean_freight", 1100.0),
            ("sbk_cost_insurance", 173.25),
            ("sbk_cost_commission", 126.75),
        ):
            self.assertAlmostEqual(order[dimension], amount, places=2, msg=dimension)

    def test_scene_4_the_same_goods_sold_fob_and_cif_settled(self):
        fob = self.env.ref("sbk_demo.order_fob")
        cif = self.env.ref("sbk_demo.order_cif")
        self.assertEqual((fob.incoterm.code, cif.incoterm.code), ("FOB", "CIF"))
        self.assertEqual(fob.order_line.product_id, cif.order_line.product_id)
        # 400 panels at 58.00; FOB: USD 13.00, trucking 300, customs 200; CIF: USD 14.20 and
        # the seller's freight 2,400 and insurance 131.21 (CIF x 110 % x 0.3 %).
        self.assertTrue(fob.sbk_costs_complete and cif.sbk_costs_complete)
        self.assertAlmostEqual(fob.sbk_real_profit, 36400.0 - 23200.0 - 500.0, places=2)
        self.assertAlmostEqual(
            cif.sbk_real_profit, 39760.0 - 23200.0 - 500.0 - 2400.0 - 131.21, places=2
        )
        self.assertGreater(cif.sbk_real_profit, fob.sbk_real_profit)
        # Each order also carries the other term's quote (FOB 13.00, CIF 14.20 at 7.00): its
        # value on both bases comes from the quotes, so it can say which term paid more.
        self.assertAlmostEqual(fob.sbk_cif_revenue, 39760.0, places=2)
        self.assertAlmostEqual(cif.sbk_fob_revenue, 36400.0, places=2)
        for order in fob | cif:
            self.assertIn(order.sbk_better_term, ("fob", "cif"))
            self.assertFalse(order.order_line.sbk_price_derived)

    def test_scene_5_shipment_is_ready_to_scan(self):
        shipment = self.env.ref("sbk_demo.shipment_loading")
        self.assertEqual(shipment.state, "draft")
        self.assertEqual(shipment.total_quantity, 530)
        shipment.on_barcode_scanned("16901234500100")  # a carton of 50
        shipment.on_barcode_scanned("0106901234500103" + "30" + "120")
        self.assertEqual(shipment.loaded_quantity, 170)
