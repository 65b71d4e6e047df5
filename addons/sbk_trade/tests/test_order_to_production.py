from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SbkPlanningCommon


@tagged("post_install", "-at_install")
class TestOrderToProduction(SbkPlanningCommon):
    def test_seed_contract_creates_one_mo_and_three_purchase_orders(self):
        self._stock(self.module, 300)
        self._stock(self.diffuser, 1200)
        order = self._export_order([(self.light, 1000)])

        production = order.mrp_production_ids
        self.assertEqual(len(production), 1)
        self.assertEqual(production.product_id, self.light)
        self.assertEqual(production.product_qty, 1000)
        self.assertEqual(production.state, "confirmed")
        self.assertEqual(production.sale_line_id, order.order_line)
        self.assertEqual(production.origin, order.name)
        self.assertEqual(production.sbk_sale_order_id, order)

        module_line = self._shortage(order, self.module)
        self.assertRecordValues(
            module_line,
            [
                {
                    "required_qty": 1000,
                    "available_qty": 300,
                    "incoming_qty": 0,
                    "shortage_qty": 700,
                    "source": "purchase",
                    "vendor_id": self.vendor_led.id,
                }
            ],
        )
        self.assertEqual(self._shortage(order, self.driver).shortage_qty, 1000)
        self.assertEqual(self._shortage(order, self.housing).shortage_qty, 1000)
        diffuser_line = self._shortage(order, self.diffuser)
        self.assertEqual((diffuser_line.available_qty, diffuser_line.shortage_qty), (1000, 0))
        self.assertEqual(diffuser_line.source, "stock")

        purchases = order.sbk_purchase_order_ids
        self.assertEqual(len(purchases), 3)
        self.assertEqual(
            purchases.partner_id, self.vendor_led | self.vendor_driver | self.vendor_metal
        )
        self.assertTrue(all(p.state == "draft" for p in purchases))
        self.assertEqual(self._purchase_qty(order, self.module), 700)
        self.assertEqual(self._purchase_qty(order, self.driver), 1000)
        self.assertEqual(self._purchase_qty(order, self.housing), 1000)
        self.assertEqual(self._purchase_qty(order, self.diffuser), 0)
        self.assertEqual(module_line.purchase_line_id.order_id.partner_id, self.vendor_led)
        self.assertEqual(module_line.purchase_line_id.sbk_shortage_line_id, module_line)
        self.assertEqual(purchases.sbk_sale_order_id, order)
        # The delivery is Odoo's own, untouched.
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 1000)

    def test_manufacturing_order_carries_the_bom_operations(self):
        workcenter = self.env["mrp.workcenter"].create({"name": "Assembly Line 1"})
        self.bom.operation_ids = [
            Command.create({"name": "Assemble", "workcenter_id": workcenter.id, "time_cycle": 2}),
            Command.create({"name": "Test", "workcenter_id": workcenter.id, "time_cycle": 1}),
        ]
        order = self._export_order([(self.light, 30)])
        workorders = order.mrp_production_ids.workorder_ids
        self.assertEqual(workorders.mapped("name"), ["Assemble", "Test"])
        self.assertEqual(workorders.workcenter_id, workcenter)

    def test_free_finished_stock_reduces_the_manufacturing_order(self):
        self._stock(self.light, 250)
        order = self._export_order([(self.light, 1000)])
        self.assertEqual(order.mrp_production_ids.product_qty, 750)
        light_line = self._shortage(order, self.light)
        self.assertEqual((light_line.available_qty, light_line.shortage_qty), (250, 750))
        self.assertEqual(self._shortage(order, self.driver).required_qty, 750)

    def test_unpromised_incoming_supply_counts(self):
        receipt = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor_driver.id,
                "order_line": [Command.create({"product_id": self.driver.id, "product_qty": 400})],
            }
        )
        receipt.button_confirm()
        order = self._export_order([(self.light, 1000)])
        driver_line = self._shortage(order, self.driver)
        self.assertEqual((driver_line.incoming_qty, driver_line.shortage_qty), (400, 600))

    def test_sub_assembly_gets_its_own_mo_linked_to_the_parent(self):
        light, board, chip = self._create_smart_light()

        order = self._export_order([(light, 100)])

        parent = order.mrp_production_ids.filtered(lambda p: p.product_id == light)
        child = order.mrp_production_ids.filtered(lambda p: p.product_id == board)
        self.assertEqual((parent.product_qty, child.product_qty), (100, 100))
        self.assertEqual(parent._get_children(), child)
        self.assertEqual(child._get_sources(), parent)
        self.assertEqual(self._shortage(order, chip).required_qty, 200)
        self.assertEqual(self._shortage(order, chip).level, 2)
        self.assertEqual(self._purchase_qty(order, chip), 200)
        self.assertLessEqual(child.date_finished, parent.date_start + timedelta(minutes=1))

    def test_kit_is_exploded_into_its_components(self):
        lamp_kit = self.env["product.product"].create({"name": "Lamp Kit", "is_storable": True})
        self._create_bom(lamp_kit, [(self.light, 2), (self.diffuser, 1)], bom_type="phantom")
        order = self._export_order([(lamp_kit, 10)])
        self.assertEqual(order.mrp_production_ids.product_id, self.light)
        self.assertEqual(order.mrp_production_ids.product_qty, 20)
        # 10 diffusers for the kits themselves plus 20 inside the lights.
        self.assertEqual(self._shortage(order, self.diffuser).required_qty, 30)
        self.assertEqual(self._purchase_qty(order, self.diffuser), 30)

    def test_kit_inside_a_bom_is_exploded_on_the_mo(self):
        screw = self._create_component("Test Screw", self.vendor_metal, 0.02)
        washer = self._create_component("Test Washer", self.vendor_metal, 0.01)
        fixing_kit = self.env["product.product"].create({"name": "Fixing Kit", "is_storable": True})
        self._create_bom(fixing_kit, [(screw, 4), (washer, 2)], bom_type="phantom")
        self.bom.write(
            {"bom_line_ids": [Command.create({"product_id": fixing_kit.id, "product_qty": 1})]}
        )
        order = self._export_order([(self.light, 10)])
        raw = order.mrp_production_ids.move_raw_ids
        self.assertNotIn(fixing_kit, raw.product_id)
        self.assertEqual(
            {m.product_id: m.product_uom_qty for m in raw if m.product_id in screw | washer},
            {screw: 40, washer: 20},
        )
        self.assertEqual(self._purchase_qty(order, screw), 40)
        self.assertEqual(self._purchase_qty(order, washer), 20)
        self.assertFalse(self._shortage(order, fixing_kit))

    def test_moq_and_vendor_minimum_round_purchases_up(self):
        self.housing.sbk_moq = 500
        self.driver.seller_ids.min_qty = 250
        self.light.sbk_moq = 150
        order = self._export_order([(self.light, 120)])
        self.assertEqual(order.mrp_production_ids.product_qty, 150)
        self.assertEqual(self._shortage(order, self.light).shortage_qty, 120)
        self.assertEqual(self._shortage(order, self.housing).required_qty, 150)
        self.assertEqual(self._purchase_qty(order, self.housing), 500)
        self.assertEqual(self._purchase_qty(order, self.driver), 250)
        self.assertEqual(self._purchase_qty(order, self.module), 150)

    def test_vendor_validity_and_company_are_respected(self):
        other_company = self.env["res.company"].create({"name": "Other Trading Co"})
        expired_vendor = self.env["res.partner"].create({"name": "Expired Vendor"})
        foreign_vendor = self.env["res.partner"].create({"name": "Other Company Vendor"})
        self.module.seller_ids.sequence = 10
        self.module.write(
            {
                "seller_ids": [
                    Command.create(
                        {
                            "partner_id": expired_vendor.id,
                            "price": 1.0,
                            "sequence": 1,
                            "date_end": fields.Date.today() - timedelta(days=1),
                        }
                    ),
                    Command.create(
                        {
                            "partner_id": foreign_vendor.id,
                            "price": 1.0,
                            "sequence": 2,
                            "company_id": other_company.id,
                        }
                    ),
                ]
            }
        )
        order = self._export_order([(self.light, 10)])
        self.assertEqual(self._shortage(order, self.module).vendor_id, self.vendor_led)

    def test_component_without_source_does_not_block_the_contract(self):
        screw = self.env["product.product"].create({"name": "Special Screw", "is_storable": True})
        self.bom.write(
            {"bom_line_ids": [Command.create({"product_id": screw.id, "product_qty": 4})]}
        )
        order = self._export_order([(self.light, 10)])
        self.assertEqual(order.state, "sale")
        screw_line = self._shortage(order, screw)
        self.assertEqual((screw_line.source, screw_line.shortage_qty), ("no_source", 40))
        activity = order.activity_ids.filtered(lambda a: "Special Screw" in a.summary)
        self.assertEqual(len(activity), 1)
        self.assertIn("neither a vendor nor a bill of materials", str(activity.note))
        self.assertEqual(len(order.sbk_purchase_order_ids), 3)

    def test_cancel_and_confirm_again_creates_no_duplicates(self):
        order = self._export_order([(self.light, 100)])
        production = order.mrp_production_ids
        first_purchases = order.sbk_purchase_order_ids
        self.assertEqual(len(first_purchases), 3)

        order._action_cancel()
        self.assertTrue(all(p.state == "cancel" for p in first_purchases))
        self.assertEqual(production.state, "confirmed")
        self.assertTrue(production.activity_ids, "the confirmed MO is flagged, not cancelled")

        order.action_draft()
        order.action_confirm()
        self.assertEqual(order.mrp_production_ids, production)
        self.assertEqual(production.product_qty, 100)
        live = order.sbk_purchase_order_ids
        self.assertEqual(len(live), 3)
        self.assertFalse(live & first_purchases)
        self.assertEqual(self._purchase_qty(order, self.driver), 100)
        self.assertEqual(
            len(order.sbk_shortage_line_ids.filtered(lambda line: line.product_id == self.driver)),
            1,
        )

    def test_increasing_a_confirmed_quantity_plans_only_the_difference(self):
        order = self._export_order([(self.light, 100)])
        purchases = order.sbk_purchase_order_ids
        order.order_line.product_uom_qty = 160
        productions = order.mrp_production_ids
        self.assertEqual(sum(productions.mapped("product_qty")), 160)
        self.assertEqual(order.sbk_purchase_order_ids, purchases, "the draft RFQs are reused")
        self.assertEqual(self._purchase_qty(order, self.driver), 160)
        self.assertEqual(self._shortage(order, self.driver).required_qty, 160)

    def test_make_to_order_routes_are_left_to_odoo(self):
        mto = self.env.ref("stock.route_warehouse0_mto")
        mto.active = True
        manufacture = self.warehouse.manufacture_pull_id.route_id
        self.light.route_ids = mto | manufacture
        order = self._export_order([(self.light, 40)])
        self.assertEqual(
            len(order.mrp_production_ids), 1, "only Odoo's own MTO manufacturing order"
        )
        self.assertEqual(order.mrp_production_ids.product_qty, 40)
        self.assertFalse(order.mrp_production_ids.sbk_sale_order_id)
        self.assertFalse(order.sbk_purchase_order_ids)

    def test_domestic_order_keeps_odoo_behaviour(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.domestic_customer.id,
                "order_line": [
                    Command.create({"product_id": self.light.id, "product_uom_qty": 50})
                ],
            }
        )
        order.action_confirm()
        self.assertEqual(order.sbk_trade_type, "domestic")
        self.assertFalse(order.mrp_production_ids)
        self.assertFalse(order.sbk_shortage_line_ids)
        self.assertFalse(order.sbk_purchase_order_ids)
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 50)

    def test_other_company_orders_plan_in_their_own_company(self):
        company_b = self.env["res.company"].create(
            {"name": "Export Co B", "country_id": self.company.country_id.id}
        )
        self.env.user.company_ids |= company_b
        vendor_b = self.env["res.partner"].create({"name": "Vendor B", "company_id": company_b.id})
        part = self.env["product.product"].create(
            {
                "name": "Part B",
                "is_storable": True,
                "seller_ids": [
                    Command.create({"partner_id": vendor_b.id, "company_id": company_b.id})
                ],
            }
        )
        gadget = self.env["product.product"].create({"name": "Gadget B", "is_storable": True})
        bom = self._create_bom(gadget, [(part, 2)])
        bom.company_id = company_b
        order = (
            self.env["sale.order"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": self.export_customer.id,
                    "company_id": company_b.id,
                    "order_line": [Command.create({"product_id": gadget.id, "product_uom_qty": 5})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.mrp_production_ids.company_id, company_b)
        self.assertEqual(order.sbk_purchase_order_ids.company_id, company_b)
        self.assertEqual(order.sbk_shortage_line_ids.company_id, company_b)
        self.assertEqual(order.sbk_purchase_order_ids.partner_id, vendor_b)
        # Users of the first company only do not see company B's shortage list.
        user_a = self._create_user("planner_a", ["sbk_trade.group_sbk_trade_user"])
        self.assertFalse(
            self.env["sbk.shortage.line"]
            .with_user(user_a)
            .search([("sale_order_id", "=", order.id)])
        )

    def test_user_confirms_an_export_order_in_the_form(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.export_customer
            form.sbk_port_of_loading = "Ningbo"
            form.sbk_etd = fields.Date.today() + timedelta(days=60)
            with form.order_line.new() as line:
                line.product_id = self.light
                line.product_uom_qty = 1000
        order = form.record
        order.action_confirm()
        self.assertEqual(order.mrp_production_ids.product_qty, 1000)
        self.assertEqual(len(order.sbk_purchase_order_ids), 3)
        self.assertEqual(order.sbk_lead_time_risk, "none")
        self.assertEqual(order.sbk_milestone, "signed")
        action = order.action_sbk_view_purchase_orders()
        self.assertEqual(
            self.env["purchase.order"].search(action["domain"]), order.sbk_purchase_order_ids
        )


@tagged("post_install", "-at_install")
class TestTradeUserConfirmsContract(SbkPlanningCommon):
    def test_salesperson_without_mrp_or_purchase_rights_runs_the_chain(self):
        salesperson = self._create_user("export_sales", ["sbk_trade.group_sbk_trade_user"])
        self.assertFalse(salesperson.has_group("mrp.group_mrp_user"))
        self.assertFalse(salesperson.has_group("purchase.group_purchase_user"))
        with Form(self.env["sale.order"].with_user(salesperson)) as form:
            form.partner_id = self.export_customer
            with form.order_line.new() as line:
                line.product_id = self.light
                line.product_uom_qty = 20
        order = form.record
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.sbk_milestone, "signed")
        self.assertEqual(order.sbk_purchase_count, 3)
        self.assertEqual(order.sudo().mrp_production_ids.product_qty, 20)
        # The salesperson reopens the contract: the form loads with its trade fields.
        with Form(order) as form:
            self.assertEqual(form.sbk_lead_time_risk, "none")


@tagged("post_install", "-at_install")
class TestLeadTimeRisk(SbkPlanningCommon):
    def test_risk_follows_production_finish_against_etd(self):
        self.company.sbk_shipping_buffer_days = 7
        # Components arrive in 14 days, production takes 5: finish in about 19 days.
        order = self._export_order(
            [(self.light, 100)], sbk_etd=fields.Date.today() + timedelta(days=60)
        )
        production = order.mrp_production_ids
        finish = production.date_finished.date()
        self.assertGreaterEqual(finish, fields.Date.today() + timedelta(days=18))
        self.assertEqual(order.sbk_lead_time_risk, "none")

        order.sbk_etd = finish + timedelta(days=3)
        self.assertEqual(order.sbk_lead_time_risk, "at_risk")
        order.sbk_etd = finish - timedelta(days=1)
        self.assertEqual(order.sbk_lead_time_risk, "late")

        # The MO is re-planned (or the MES reports a new finish): the risk follows.
        production.date_finished = production.date_finished - timedelta(days=10)
        self.assertEqual(order.sbk_lead_time_risk, "none")

    def test_no_etd_means_no_risk(self):
        order = self._export_order([(self.light, 100)])
        self.assertEqual(order.sbk_lead_time_risk, "none")

    def test_at_risk_filter(self):
        order = self._export_order(
            [(self.light, 100)], sbk_etd=fields.Date.today() + timedelta(days=2)
        )
        self.assertEqual(order.sbk_lead_time_risk, "late")
        self.assertIn(
            order,
            self.env["sale.order"].search([("sbk_lead_time_risk", "in", ("at_risk", "late"))]),
        )


@tagged("post_install", "-at_install")
class TestPlanningFailures(SbkPlanningCommon):
    def test_failure_in_planning_leaves_no_half_made_documents(self):
        self.warehouse.manufacture_to_resupply = False
        order = self._export_order([(self.light, 100)], confirm=False)
        purchases_before = self.env["purchase.order"].search_count([])
        with self.assertRaises(UserError):
            order.action_confirm()
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.mrp_production_ids)
        self.assertFalse(order.sbk_shortage_line_ids)
        self.assertEqual(self.env["purchase.order"].search_count([]), purchases_before)
