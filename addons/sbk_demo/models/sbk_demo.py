from datetime import timedelta

from odoo import Command, api, fields, models

# Dates of the story, counted from the day the database is built.
SETTLED_ETD_DAYS = -20
LOADING_ETD_DAYS = 7
LOCKED_ETD_DAYS = 14
CONTRACT_ETD_DAYS = 45
# One US dollar in yuan, for every date of the story.
USD_CNY = 7.0


class SbkDemo(models.AbstractModel):
    """The seed's story on the demo database: Ningbo SBK Lighting, a Chinese maker of LED
    lights selling abroad, with documents made by the product's own flows.

    Runs once, from the addon's demo data; the records it makes get XML ids of ``sbk_demo`` so
    that tests, the README and a later update find them.
    """

    _name = "sbk.demo"
    _description = "Demo Story Builder"

    @api.model
    def _sbk_build_demo(self):
        if self.env.ref("sbk_demo.company_ningbo", raise_if_not_found=False):
            return  # built already: an update of the addon keeps the story as it is
        company = self._sbk_demo_company()
        # Every document of the story belongs to the demo company.
        demo = self.with_company(company).with_context(
            allowed_company_ids=company.ids, mail_notrack=True
        )
        master = demo._sbk_demo_master_data(company)
        master.update(demo._sbk_demo_users(company))
        demo._sbk_demo_scene_settled(master)
        demo._sbk_demo_scene_loading(master)
        demo._sbk_demo_scene_competing(master)
        demo._sbk_demo_scene_fob_cif(master)
        demo._sbk_demo_scene_contract(master)
        orders = self.env["sale.order"].search([("company_id", "=", company.id)])
        orders.action_sbk_recompute_costs()

    # -- helpers --------------------------------------------------------------------------------

    def _sbk_demo_name(self, name, record):
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"sbk_demo.{name}", "record": record, "noupdate": True}]
        )
        return record

    def _sbk_demo_date(self, days):
        return fields.Date.context_today(self) + timedelta(days=days)

    def _sbk_demo_stock(self, product, quantity, warehouse):
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": product.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.action_apply_inventory()

    def _sbk_demo_validate(self, pickings):
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        pickings.with_context(skip_backorder=True).button_validate()

    def _sbk_demo_order(self, master, partner, lines, ref, **values):
        order = self.env["sale.order"].create(
            {
                "name": ref,
                "partner_id": partner.id,
                "client_order_ref": ref,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q, "price_unit": price})
                    for p, q, price in lines
                ],
                **values,
            }
        )
        order.action_confirm()
        return order

    def _sbk_demo_export_values(self, master, incoterm, etd_days, **values):
        return {
            "pricelist_id": master["pricelist_usd"].id,
            "fiscal_position_id": master["fpos_export"].id,
            "incoterm": self.env.ref(f"account.incoterm_{incoterm}").id,
            "sbk_port_of_loading": "Ningbo",
            "sbk_port_of_discharge": "Hamburg",
            "sbk_etd": self._sbk_demo_date(etd_days),
            "user_id": master["user_trade"].id,
            **values,
        }

    def _sbk_demo_bill(self, partner, service, amount, order):
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": partner.id,
                "invoice_date": fields.Date.context_today(self),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": service.id,
                            "quantity": 1.0,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                            "sbk_sale_order_ids": [Command.set(order.ids)],
                        }
                    )
                ],
            }
        )
        bill.action_post()
        return bill

    # -- the company ----------------------------------------------------------------------------

    def _sbk_demo_company(self):
        """Ningbo SBK Lighting, in CNY on the Chinese chart of accounts, made the company of the
        demo's users."""
        cny = self.env.ref("base.CNY")
        cny.active = True
        company = self.env["res.company"].create(
            {
                "name": "Ningbo SBK Lighting Co., Ltd.",
                "currency_id": cny.id,
                "country_id": self.env.ref("base.cn").id,
                "state_id": self.env.ref("base.state_cn_ZJ").id,
                "city": "Ningbo",
                "street": "88 Jinhai Road, Beilun District",
                "zip": "315800",
                "phone": "+86 574 8688 1800",
                "email": "trade@sbk-lighting.example.com",
            }
        )
        self._sbk_demo_name("company_ningbo", company)
        self.env["account.chart.template"].try_loading("cn", company, install_demo=False)
        # Prices are quoted before VAT (the export price has none to include).
        company.write(
            {
                "account_price_include": "tax_excluded",
                "sbk_rebate_method": "exempt_credit_refund",  # a manufacturer
            }
        )
        users = self.env.ref("base.user_admin") | self.env.ref(
            "base.user_demo", raise_if_not_found=False
        )
        users.write({"company_ids": [Command.link(company.id)], "company_id": company.id})
        mes_user = self.env.ref("sbk_mes_bridge.user_sbk_mes_demo", raise_if_not_found=False)
        if mes_user:
            mes_user.write({"company_ids": [Command.link(company.id)], "company_id": company.id})
        return company

    def _sbk_demo_master_data(self, company):
        env = self.env
        ref = env.ref
        usd, cny = ref("base.USD"), company.currency_id
        Rate = env["res.currency.rate"]
        Rate.create(
            {"currency_id": cny.id, "company_id": company.id, "name": "2020-01-01", "rate": 1.0}
        )
        Rate.create(
            {
                "currency_id": usd.id,
                "company_id": company.id,
                "name": "2020-01-01",
                "rate": 1 / USD_CNY,
            }
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        warehouse.write({"name": "Ningbo Beilun Plant", "code": "NB"})

        # Export sales are zero-rated: the domestic 13 % VAT maps to the export exemption.
        vat_13 = company.account_sale_tax_id
        exempt_group = env["account.tax.group"].create(
            {"name": "Export exempt", "company_id": company.id}
        )
        exempt = env["account.tax"].create(
            {
                "name": "0% Export",
                "description": "Export exempt",
                "invoice_label": "0% export",
                "amount": 0.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "tax_group_id": exempt_group.id,
                "company_id": company.id,
            }
        )
        fpos_export = env["account.fiscal.position"].create(
            {
                "name": "Export (zero-rated)",
                "company_id": company.id,
                "tax_ids": [Command.create({"tax_src_id": vat_13.id, "tax_dest_id": exempt.id})],
            }
        )
        self._sbk_demo_name("fiscal_position_export", fpos_export)
        pricelist_usd = env["product.pricelist"].create(
            {"name": "Export (USD)", "currency_id": usd.id, "company_id": company.id}
        )

        def partner(name, country, city, **values):
            return env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "country_id": ref(f"base.{country}").id,
                    "city": city,
                    **values,
                }
            )

        hamburg = ref("sbk_trade.partner_export_customer")
        rotterdam = partner("Rotterdam Light Trading B.V.", "nl", "Rotterdam")
        for buyer in hamburg | rotterdam:
            buyer.with_company(company).write(
                {
                    "property_product_pricelist": pricelist_usd.id,
                    "property_account_position_id": fpos_export.id,
                }
            )
        master = {
            "company": company,
            "warehouse": warehouse,
            "pricelist_usd": pricelist_usd,
            "fpos_export": fpos_export,
            "vat_13": vat_13,
            "hamburg": hamburg,
            "rotterdam": rotterdam,
            "home_buyer": partner("Hangzhou Bright Home Trading Co.", "cn", "Hangzhou"),
            "panel_vendor": partner("Zhongshan Guzhen Panel Lighting Co.", "cn", "Zhongshan"),
            "trucker": partner("Beilun Container Trucking", "cn", "Ningbo"),
            "broker": partner("Ningbo Port Customs Brokerage", "cn", "Ningbo"),
            "forwarder": partner("Ningbo Ocean Link Logistics", "cn", "Ningbo"),
            "insurer": partner("PICC Property & Casualty Ningbo", "cn", "Ningbo"),
            "agent": partner("Hanse Lighting Agency", "de", "Bremen"),
            "trucking": ref("sbk_landed_cost.product_domestic_trucking"),
            "customs_fee": ref("sbk_landed_cost.product_customs_broker"),
            "ocean_freight": ref("sbk_landed_cost.product_ocean_freight"),
            "insurance": ref("sbk_landed_cost.product_cargo_insurance"),
            "commission": env["product.product"].create(
                {
                    "name": "Agent Commission",
                    "default_code": "SVC-COM",
                    "type": "service",
                    "sale_ok": False,
                    "purchase_ok": True,
                    "sbk_cost_dimension": "commission",
                    "sbk_allocation_basis": "value",
                }
            ),
        }
        master.update(self._sbk_demo_products(company, master))
        return master

    def _sbk_demo_products(self, company, master):
        """The demo's products in this company: standard costs in CNY, the vendors' prices and
        a two-level bill of materials (light = light engine + housing + diffuser; light
        engine = LED module + driver)."""
        env = self.env
        ref = env.ref
        vat_13 = master["vat_13"]
        purchase_vat_13 = company.account_purchase_tax_id
        light = ref("sbk_trade.product_led18w")
        module = ref("sbk_trade.product_led_module")
        driver = ref("sbk_trade.product_led_driver")
        housing = ref("sbk_trade.product_alu_housing")
        diffuser = ref("sbk_trade.product_diffuser")
        engine = env["product.product"].create(
            {
                "name": "Light Engine 18W",
                "default_code": "ENG18",
                "is_storable": True,
                "sbk_name_en": "Light Engine 18W",
                "sbk_name_cn": "光源模组 18W",
                "sbk_hs_code_id": ref("sbk_trade.hs_code_8541410000").id,
                "route_ids": [Command.link(ref("mrp.route_warehouse0_manufacture").id)],
            }
        )
        panel = env["product.product"].create(
            {
                "name": "LED Panel Light 36W 600x600",
                "default_code": "LP36W",
                "barcode": "6901234500202",
                "is_storable": True,
                "list_price": 95.0,
                "sbk_name_en": "LED Panel Light 36W 600x600",
                "sbk_name_cn": "LED 平板灯 36W 600x600",
                "sbk_hs_code_id": ref("sbk_trade.hs_code_9405119000").id,
                "sbk_pcs_per_carton": 4,
                "sbk_carton_length_cm": 64,
                "sbk_carton_width_cm": 64,
                "sbk_carton_height_cm": 40,
                "sbk_carton_net_weight": 12.0,
                "sbk_carton_gross_weight": 13.5,
                "weight": 3.0,
                "route_ids": [Command.link(ref("purchase_stock.route_warehouse0_buy").id)],
            }
        )
        costs = {
            light: 81.90,
            engine: 56.00,
            module: 32.00,
            driver: 22.00,
            housing: 14.50,
            diffuser: 5.20,
            panel: 58.00,
        }
        for product, cost in costs.items():
            product.with_company(company).standard_price = cost
            product.write(
                {
                    "taxes_id": [Command.link(vat_13.id)],
                    "supplier_taxes_id": [Command.link(purchase_vat_13.id)],
                }
            )
        vendors = [
            (module, ref("sbk_trade.partner_vendor_led"), 32.00, 0, 10),
            (driver, ref("sbk_trade.partner_vendor_driver"), 22.00, 0, 14),
            (housing, ref("sbk_trade.partner_vendor_housing"), 14.50, 200, 12),
            (diffuser, ref("sbk_trade.partner_vendor_housing"), 5.20, 0, 12),
            (panel, master["panel_vendor"], 58.00, 0, 15),
        ]
        env["product.supplierinfo"].create(
            [
                {
                    "partner_id": vendor.id,
                    "product_tmpl_id": product.product_tmpl_id.id,
                    "price": price,
                    "min_qty": min_qty,
                    "delay": delay,
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                }
                for product, vendor, price, min_qty, delay in vendors
            ]
        )
        Bom = env["mrp.bom"]
        for product, components, days in (
            (light, (engine, housing, diffuser), 5),
            (engine, (module, driver), 2),
        ):
            Bom.create(
                {
                    "product_tmpl_id": product.product_tmpl_id.id,
                    "product_qty": 1,
                    "produce_delay": days,
                    "company_id": company.id,
                    "bom_line_ids": [
                        Command.create({"product_id": c.id, "product_qty": 1}) for c in components
                    ],
                }
            )
        return {"light": light, "engine": engine, "panel": panel}

    # -- the scenes -----------------------------------------------------------------------------

    def _sbk_demo_scene_settled(self, master):
        """Scene 3: an earlier order, sold CIF Hamburg from stock, delivered, loaded, declared
        and invoiced, with its trucking, customs, freight, insurance and commission bills
        posted: 22 % apparent margin, 18 % real."""
        light = master["light"]
        self._sbk_demo_stock(light, 500, master["warehouse"])
        order = self._sbk_demo_order(
            master,
            master["hamburg"],
            [(light, 500, 15.0)],
            "HL-2026-018",
            **self._sbk_demo_export_values(master, "CIF", SETTLED_ETD_DAYS),
        )
        self._sbk_demo_name("order_settled", order)
        order.action_sbk_create_shipment()
        shipment = order.sbk_shipment_ids
        shipment.write({"vessel": "COSCO SHIPPING ARIES", "voyage": "042W"})
        for _carton in range(10):
            shipment.on_barcode_scanned("16901234500100")
        shipment.action_done_loading()
        shipment.action_create_declaration()
        declaration = shipment.declaration_ids
        declaration.name = "310420260000018"
        declaration.action_submit()
        declaration.action_release()
        declaration.action_clear()
        self._sbk_demo_name("shipment_settled", shipment)
        self._sbk_demo_name("declaration_settled", declaration)
        invoice = order._create_invoices()
        invoice.action_post()
        for partner, service, amount in (
            ("trucker", "trucking", 450.0),
            ("broker", "customs_fee", 250.0),
            ("forwarder", "ocean_freight", 1100.0),
            ("insurer", "insurance", 173.25),
            ("agent", "commission", 126.75),
        ):
            self._sbk_demo_bill(master[partner], master[service], amount, order)
        return order

    def _sbk_demo_scene_loading(self, master):
        """Scene 5: an order served from stock, its shipment ready to load by scanner."""
        light = master["light"]
        self._sbk_demo_stock(light, 530, master["warehouse"])
        order = self._sbk_demo_order(
            master,
            master["hamburg"],
            [(light, 530, 15.0)],
            "HL-2026-031",
            **self._sbk_demo_export_values(master, "FOB", LOADING_ETD_DAYS),
        )
        order.action_sbk_create_shipment()
        shipment = order.sbk_shipment_ids
        shipment.write(
            {
                "vessel": "MSC ANNA",
                "voyage": "FE248W",
                "container_ids": [
                    Command.create({"container_number": "MSKU9070323", "container_type": "20GP"})
                ],
            }
        )
        self._sbk_demo_name("order_loading", order)
        self._sbk_demo_name("shipment_loading", shipment)
        return order

    def _sbk_demo_scene_competing(self, master):
        """Scene 2: 1,000 panels received; an export order locks 800, a domestic order gets
        the other 200."""
        panel = master["panel"]
        purchase = self.env["purchase.order"].create(
            {
                "partner_id": master["panel_vendor"].id,
                "order_line": [
                    Command.create(
                        {"product_id": panel.id, "product_qty": 1000, "price_unit": 58.0}
                    )
                ],
            }
        )
        purchase.button_confirm()
        self._sbk_demo_validate(purchase.picking_ids)
        export = self._sbk_demo_order(
            master,
            master["hamburg"],
            [(panel, 800, 13.0)],
            "HL-2026-036",
            **self._sbk_demo_export_values(master, "FOB", LOCKED_ETD_DAYS),
        )
        domestic = self._sbk_demo_order(
            master, master["home_buyer"], [(panel, 200, 95.0)], "BH-2026-112"
        )
        self._sbk_demo_name("purchase_panels", purchase)
        self._sbk_demo_name("order_locked", export)
        self._sbk_demo_name("order_domestic", domestic)
        return export, domestic

    def _sbk_demo_scene_fob_cif(self, master):
        """Scene 4: the same panels sold on FOB (Hamburg) and on CIF (Rotterdam) terms, both
        delivered and invoiced with their bills posted, so that the profit on each term is
        real: the CIF order's seller paid the freight and the insurance."""
        panel = master["panel"]
        purchase = self.env["purchase.order"].create(
            {
                "partner_id": master["panel_vendor"].id,
                "order_line": [
                    Command.create({"product_id": panel.id, "product_qty": 800, "price_unit": 58.0})
                ],
            }
        )
        purchase.button_confirm()
        self._sbk_demo_validate(purchase.picking_ids)
        fob = self._sbk_demo_order(
            master,
            master["hamburg"],
            [(panel, 400, 13.0)],
            "HL-2026-040",
            **self._sbk_demo_export_values(
                master, "FOB", SETTLED_ETD_DAYS, sbk_freight_estimate=2400.0
            ),
        )
        cif = self._sbk_demo_order(
            master,
            master["rotterdam"],
            [(panel, 400, 14.2)],
            "RLT-2026-007",
            **self._sbk_demo_export_values(
                master,
                "CIF",
                SETTLED_ETD_DAYS,
                sbk_port_of_discharge="Rotterdam",
                sbk_freight_estimate=2400.0,
            ),
        )
        self._sbk_demo_quote_both_terms(fob | cif)
        for order in fob | cif:
            self._sbk_demo_validate(order.picking_ids)
            order._create_invoices().action_post()
            self._sbk_demo_bill(master["trucker"], master["trucking"], 300.0, order)
            self._sbk_demo_bill(master["broker"], master["customs_fee"], 200.0, order)
        self._sbk_demo_bill(master["forwarder"], master["ocean_freight"], 2400.0, cif)
        self._sbk_demo_bill(master["insurer"], master["insurance"], 131.21, cif)
        self._sbk_demo_name("order_fob", fob)
        self._sbk_demo_name("order_cif", cif)
        return fob, cif

    def _sbk_demo_quote_both_terms(self, orders):
        """Scene 4: what the trade quoted each buyer on both terms (USD per panel): FOB 13.00
        and CIF 14.20 on every line of ``orders``; the term each order was sold on keeps its
        own price (its quote of that term is the line's price)."""
        orders.order_line.write({"sbk_quoted_price_fob": 13.0, "sbk_quoted_price_cif": 14.2})
        return orders

    def _sbk_demo_scene_contract(self, master):
        """Scene 1: the 1,000-unit contract, FOB Ningbo with its ETD, confirmed: manufacturing
        orders, the shortage list, one RFQ per vendor, jobs queued for the MES."""
        order = self._sbk_demo_order(
            master,
            master["hamburg"],
            [(master["light"], 1000, 15.0)],
            "HL-2026-045",
            **self._sbk_demo_export_values(
                master,
                "FOB",
                CONTRACT_ETD_DAYS,
                sbk_agent_id=master["agent"].id,
                sbk_commission_rate=1.5,
                sbk_freight_estimate=5600.0,
            ),
        )
        self._sbk_demo_name("order_contract", order)
        return order

    # -- the people -----------------------------------------------------------------------------

    def _sbk_demo_users(self, company):
        """A trade user, a warehouse user and an accountant of the demo company (password =
        login): ``{"user_trade": user, ...}``."""
        ref = self.env.ref
        users = {}
        for key, name, login, groups in (
            (
                "user_trade",
                "Li Wei",
                "trade",
                ["sbk_trade.group_sbk_trade_user", "stock.group_stock_user"],
            ),
            ("user_warehouse", "Wang Fang", "warehouse", ["stock.group_stock_user"]),
            (
                "user_accountant",
                "Chen Jing",
                "accountant",
                # Trade / User as well: sbk_trade's order form reads the shortage list, which
                # a salesperson without it may not read (reported to the lead).
                [
                    "account.group_account_invoice",
                    "sales_team.group_sale_salesman_all_leads",
                    "sbk_trade.group_sbk_trade_user",
                ],
            ),
        ):
            user = (
                self.env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": name,
                        "login": login,
                        "password": login,
                        "email": f"{login}@sbk-lighting.example.com",
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [
                            Command.set([ref(g).id for g in ["base.group_user", *groups]])
                        ],
                    }
                )
            )
            users[key] = self._sbk_demo_name(key, user)
        return users
