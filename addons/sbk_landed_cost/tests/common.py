from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class LandedCostCommon(TransactionCase):
    """An exporter selling two packed products abroad; forwarder, trucker, broker, insurer and
    bank services tagged with their cost dimension; users of each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        if not cls.company.country_id:
            cls.company.country_id = cls.env.ref("base.cn")
        cls.company.write(
            {
                "sbk_rebate_method": "exempt_refund",
                "sbk_insurance_rate": 0.3,
                "sbk_insurance_markup": 10.0,
            }
        )
        abroad = cls.env.ref("base.de")
        if cls.company.country_id == abroad:
            abroad = cls.env.ref("base.fr")
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Hamburg Buyer", "country_id": abroad.id}
        )
        cls.home_buyer = cls.env["res.partner"].create(
            {"name": "Home Buyer", "country_id": cls.company.country_id.id}
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Lamp Factory"})
        cls.forwarder = cls.env["res.partner"].create({"name": "Ocean Forwarder"})
        cls.agent = cls.env["res.partner"].create({"name": "Sales Agent"})
        cls.hs_code = cls.env["sbk.hs.code"].create(
            {"code": "94054290", "name": "LED lights", "vat_rate": 13.0, "rebate_rate": 9.0}
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.category = cls.env["product.category"].create(
            {
                "name": "Export Goods (standard cost)",
                "property_cost_method": "standard",
                "property_valuation": "manual_periodic",
            }
        )
        cls.lamp = cls._product(
            "Ceiling Lamp", 6.0, pcs=50, size=(60, 40, 30), net=20.0, gross=22.0
        )
        cls.shade = cls._product("Lamp Shade", 3.0, pcs=20, size=(50, 40, 40), net=14.0, gross=15.0)
        cls.ocean_freight = cls._service("Ocean Freight", "ocean_freight", "volume")
        cls.trucking = cls._service("Trucking", "domestic_freight", "gross_weight")
        cls.customs = cls._service("Customs Broker", "customs_fee", "cartons")
        cls.insurance = cls._service("Cargo Insurance", "insurance", "value")
        cls.bank_charges = cls._service("Bank Charges", "commission", "value")
        cls.purchase_tax_13 = cls._purchase_tax(13.0)
        cls.purchase_tax_3 = cls._purchase_tax(3.0)
        cls.incoterm_fob = cls.env.ref("account.incoterm_FOB")
        cls.incoterm_cif = cls.env.ref("account.incoterm_CIF")
        cls.incoterm_exw = cls.env.ref("account.incoterm_EXW")
        cls.expense_account = cls.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", cls.company.id)], limit=1
        )
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.manager = cls._user(
            "lc_manager",
            ["sbk_trade.group_sbk_trade_manager", "sales_team.group_sale_salesman_all_leads"],
        )
        cls.salesman = cls._user("lc_salesman", ["sbk_trade.group_sbk_trade_user"])
        cls.accountant = cls._user("lc_accountant", ["account.group_account_invoice"])

    # -- master data -----------------------------------------------------------------------

    @classmethod
    def _product(cls, name, cost, pcs, size, net, gross):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "invoice_policy": "order",
                "standard_price": cost,
                "categ_id": cls.category.id,
                "sbk_hs_code_id": cls.hs_code.id,
                "sbk_pcs_per_carton": pcs,
                "sbk_carton_length_cm": size[0],
                "sbk_carton_width_cm": size[1],
                "sbk_carton_height_cm": size[2],
                "sbk_carton_net_weight": net,
                "sbk_carton_gross_weight": gross,
            }
        )

    @classmethod
    def _service(cls, name, dimension, basis):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "purchase_ok": True,
                "sbk_cost_dimension": dimension,
                "sbk_allocation_basis": basis,
            }
        )

    @classmethod
    def _purchase_tax(cls, rate):
        return cls.env["account.tax"].create(
            {
                "name": f"Input VAT {rate} % (test)",
                "amount": rate,
                "amount_type": "percent",
                "type_tax_use": "purchase",
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _user(cls, login, groups):
        return new_test_user(
            cls.env,
            login,
            groups=",".join(groups),
            name=login,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    # -- documents ---------------------------------------------------------------------------

    def _order(self, lines, partner=None, incoterm=None, confirm=True, **values):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.buyer).id,
                "incoterm": (incoterm or self.incoterm_fob).id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q, "price_unit": price})
                    for p, q, price in lines
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _stock(self, product, quantity):
        self.env["stock.quant"]._update_available_quantity(product, self.stock, quantity)

    def _validate(self, picking, quantities=None):
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.picked = True
        picking.with_context(cancel_backorder=False)._action_done()
        return picking

    def _deliver(self, order, quantities=None):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        return self._validate(picking, quantities)

    def _purchase(self, order, product, quantity, price, tax=None, currency=None, receive=True):
        purchase = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "sbk_sale_order_id": order.id,
                "currency_id": (currency or self.currency).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": quantity,
                            "price_unit": price,
                            "taxes_id": [Command.set(tax.ids if tax else [])],
                        }
                    )
                ],
            }
        )
        purchase.button_confirm()
        if receive:
            self._validate(purchase.picking_ids)
        return purchase

    def _bill(self, lines, partner=None, date="2024-03-01", currency=None, post=True, **values):
        """A vendor bill; ``lines``: ``(service, amount, orders)`` or with a basis as 4th."""
        bill = self.env["account.move"].create(
            {
                "move_type": values.pop("move_type", "in_invoice"),
                "partner_id": (partner or self.forwarder).id,
                "invoice_date": date,
                "date": date,
                "currency_id": (currency or self.currency).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line[0].id,
                            "quantity": 1.0,
                            "price_unit": line[1],
                            "tax_ids": [Command.clear()],
                            "sbk_sale_order_ids": [Command.set(line[2].ids)],
                            **({"sbk_allocation_basis": line[3]} if len(line) > 3 else {}),
                        }
                    )
                    for line in lines
                ],
                **values,
            }
        )
        if post:
            bill.action_post()
        return bill

    def _bank_charge(self, order, amount, date="2024-03-05"):
        """Charges the bank withheld on the buyer's payment, booked on a journal entry."""
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": date,
                "journal_id": self.bank_journal.id,
                "line_ids": [
                    Command.create(
                        {
                            "name": "Bank charges on receipt",
                            "account_id": self.expense_account.id,
                            "debit": amount,
                            "sbk_cost_dimension": "commission",
                            "sbk_sale_order_ids": [Command.set(order.ids)],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Bank charges on receipt",
                            "account_id": self.bank_journal.default_account_id.id,
                            "credit": amount,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        return entry

    def _cleared_declaration(self, order):
        """Ship, load (one GS1 label for the 1,000 shades), declare and clear ``order``."""
        self.shade.barcode = "6901234567892"
        shipment = self.env["sbk.shipment"].create(
            {
                "partner_id": self.buyer.id,
                "picking_ids": [Command.set(order.picking_ids.ids)],
            }
        )
        shipment.on_barcode_scanned("01" + "06901234567892" + "30" + "1000")
        shipment.action_done_loading()
        declaration = self.env["sbk.customs.declaration"].browse(
            shipment.action_create_declaration()["res_id"]
        )
        declaration.write({"name": "310120240000012345", "date": "2024-11-20"})
        declaration.action_submit()
        declaration.action_release()
        declaration.action_clear()
        return declaration

    def _invoice(self, order, date, quantities=None):
        invoice = order._create_invoices()
        invoice.invoice_date = date
        invoice.date = date
        for line in invoice.invoice_line_ids:
            if quantities and line.product_id in quantities:
                line.quantity = quantities[line.product_id]
        invoice.action_post()
        return invoice

    def _full_order(self):
        """One CIF order with every dimension (TestOrderCostSheet tells its numbers): needs
        1,000 lamps in stock."""
        order = self._order(
            [(self.lamp, 1000, 10.0)],
            incoterm=self.incoterm_cif,
            sbk_agent_id=self.agent.id,
            sbk_commission_rate=3.0,
            sbk_commission_fixed=50.0,
        )
        purchase = self._purchase(order, self.lamp, 600, 6.5, tax=self.purchase_tax_13)
        delivery = self._deliver(order)
        bills = {
            "trucking": self._bill([(self.trucking, 300.0, order)]),
            "customs": self._bill([(self.customs, 150.0, order)]),
            "ocean": self._bill([(self.ocean_freight, 1200.0, order)]),
            "insurance": self._bill([(self.insurance, 33.0, order)]),
        }
        bank = self._bank_charge(order, 25.0)
        return order, purchase, delivery, bills, bank

    def _costs(self, order, dimension=None):
        costs = order.sbk_cost_ids
        if dimension:
            costs = costs.filtered(lambda c: c.dimension == dimension)
        return costs

    def assertMoney(self, value, expected, msg=None):
        self.assertAlmostEqual(value, expected, places=2, msg=msg)
