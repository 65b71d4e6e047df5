"""The export documents of one shipment (commercial invoice, packing list, declaration) agree,
and their PDFs, rendered by wkhtmltopdf, say so in English and Chinese."""

import io
import subprocess
import tempfile
import unicodedata

import openpyxl
from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, tagged

from ..report.xlsx_exports import packing_list_xlsx, trade_document_xlsx
from .shipment_common import SbkShipmentCommon


@tagged("post_install", "-at_install")
class TestShipmentTradeDocuments(SbkShipmentCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write(
            {
                "street": "88 Jiangnan Road",
                "city": "Ningbo",
                "phone": "+86 574 8888 0000",
                "email": "export@example.com",
            }
        )
        cls.bank_account = cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.company.partner_id.id,
                "acc_number": "6222-0200-1234-5678",
                "currency_id": cls.env.company.currency_id.id,  # the orders' currency
                "bank_id": cls.env["res.bank"]
                .create({"name": "Bank of China Ningbo Branch", "bic": "BKCHCNBJ92A"})
                .id,
            }
        )
        cls.export_customer.write({"street": "Hafenstrasse 1", "city": "Hamburg"})
        cls.notify = cls.env["res.partner"].create(
            {"name": "Hanse Customs Brokers", "city": "Hamburg"}
        )
        cls.incoterm_cif = cls.env.ref("account.incoterm_CIF")
        cls.order = cls._confirmed_export_order(
            [(cls.product, 1000, 10.0), (cls.box, 96, 20.0), (cls.cover, 100, 0.55)],
            client_order_ref="PO-7788",
            incoterm=cls.incoterm_cif.id,
            incoterm_location="Hamburg",
            sbk_notify_partner_id=cls.notify.id,
        )

    def _loaded_shipment(self):
        shipment = self._shipment(self.order, containers=("40HQ",))
        shipment.container_ids.write({"container_number": "CSQU3054383", "seal_number": "SL12345"})
        shipment.write({"vessel": "MSC ANNA", "voyage": "V.123E"})
        for label in ("0106901234599107" + "301000", "0106901234599206" + "3096"):
            shipment.on_barcode_scanned(label)
        shipment.on_barcode_scanned("0106901234599305" + "30100")
        shipment.action_done_loading()
        return shipment

    def _pdf_text(self, report_ref, records):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", file.name, "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout
        # One line (layout columns break phrases apart); NFKC turns the Kangxi radicals some
        # CJK fonts map their glyphs to (⼈) back into the ideographs (人).
        return " ".join(unicodedata.normalize("NFKC", text).split())

    def _assert_all_in(self, text, expected):
        missing = [phrase for phrase in expected if phrase not in text]
        self.assertFalse(missing, f"not in the PDF: {missing}\n{text}")

    def test_commercial_invoice_packing_list_and_declaration_agree(self):
        shipment = self._loaded_shipment()
        declaration = self.env["sbk.customs.declaration"].browse(
            shipment.action_create_declaration()["res_id"]
        )
        invoice = self.order._create_invoices()
        invoice.action_post()
        Document = self.env["sbk.trade.document"]
        of_shipment = Document._sbk_commercial_invoice_of_shipment(shipment)
        of_invoice = Document._sbk_commercial_invoice_of_invoice(invoice)
        packing_list = Document._sbk_packing_list_of_shipment(shipment)
        # Totals with the customer invoice: 1,000 x 10.00 + 96 x 20.00 + 100 x 0.55.
        self.assertEqual(invoice.amount_total, 11975.0)
        for document in (of_shipment, of_invoice):
            self.assertEqual(document["amount_goods"], 11975.0)
            self.assertEqual(document["amount_total"], invoice.amount_total)
        self.assertEqual(of_invoice["number"], invoice.name)
        # The shipment's orders have one posted invoice: it numbers and dates the shipment's.
        self.assertEqual(
            (of_shipment["number"], of_shipment["date"]), (invoice.name, invoice.invoice_date)
        )
        # Quantities with the packing list, product by product.
        shipped = {}
        for item in packing_list["items"]:
            product = item.line.product_id
            shipped[product] = shipped.get(product, 0.0) + item.quantity
        for document in (of_shipment, of_invoice):
            self.assertEqual(
                {line["product"]: line["quantity"] for line in document["lines"]}, shipped
            )
        self.assertEqual(shipped, {self.product: 1000, self.box: 96, self.cover: 100})
        # HS codes and FOB value with the declaration; on CIF, freight and insurance apart.
        self.assertEqual(
            of_shipment["hs_codes"], sorted(declaration.line_ids.hs_code_id.mapped("code"))
        )
        self.assertEqual(of_shipment["hs_codes"], ["39269010", "9405429000"])
        for document in (of_shipment, of_invoice):
            self.assertTrue(document["states_freight"])
            self.assertEqual(document["amount_fob"], declaration.amount_fob)
            self.assertAlmostEqual(
                document["amount_goods"] - document["freight"] - document["insurance"],
                declaration.amount_fob,
                places=2,
            )
        # Whatever freight and insurance are known (sbk_landed_cost), none is negative.
        self.assertLessEqual(declaration.amount_fob, 11975.0)
        self.assertGreaterEqual(of_shipment["freight"], 0.0)
        # Cartons: 20 of lights and 4 of panels, the covers loose (no packing spec).
        self.assertEqual(packing_list["packages"]["cartons"], 24)
        self.assertEqual(of_shipment["packages"], packing_list["packages"])
        self.assertEqual(of_invoice["packages"], packing_list["packages"])
        self.assertAlmostEqual(packing_list["packages"]["net_weight"], 450.0 + 48.0 + 20.0)
        self.assertEqual(of_shipment["bank"], self.bank_account)
        self.assertEqual(of_shipment["notify"], self.notify)
        self.assertEqual(of_shipment["marks"], "Foreign Buyer\nPO-7788\nHamburg\nC/NO. 1-24")
        self.assertEqual(
            of_shipment["words_cn"], f"{self.order.currency_id.name} 壹万壹仟玖佰柒拾伍元整"
        )
        self.assertIn("ELEVEN THOUSAND, NINE HUNDRED AND SEVENTY-FIVE", of_shipment["words_en"])

    def _html_cells(self, report_ref, records, css_class):
        html = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_html(report_ref, records.ids)[0]
        )
        tree = etree.fromstring(html, etree.HTMLParser())
        headers = [" ".join(th.itertext()).split() for th in tree.iter("th")]
        cells = [cell.text for cell in tree.xpath(f"//td[contains(@class, '{css_class}')]")]
        return headers, cells

    def test_shipment_commercial_invoice_takes_the_one_posted_invoice_number_and_date(self):
        shipment = self._loaded_shipment()
        shipment.etd = "2026-11-25"
        Document = self.env["sbk.trade.document"]
        document = Document._sbk_commercial_invoice_of_shipment(shipment)
        self.assertEqual((document["number"], document["date"]), (shipment.name, shipment.etd))
        invoice = self.order._create_invoices()
        invoice.invoice_date = "2026-11-20"
        document = Document._sbk_commercial_invoice_of_shipment(shipment)
        self.assertEqual(document["number"], shipment.name)  # a draft states nothing yet
        invoice.action_post()
        document = Document._sbk_commercial_invoice_of_shipment(shipment)
        self.assertEqual(
            (document["number"], document["date"]), (invoice.name, invoice.invoice_date)
        )
        self.assertEqual(str(document["date"]), "2026-11-20")
        text = self._pdf_text("sbk_trade.action_report_sbk_commercial_invoice", shipment)
        self._assert_all_in(text, [invoice.name, "11/20/2026"])
        values = {
            row[0]: row[1]
            for row in openpyxl.load_workbook(
                io.BytesIO(trade_document_xlsx(document))
            ).active.iter_rows(values_only=True)
            if row[0]
        }
        self.assertEqual(values["COMMERCIAL INVOICE 商业发票"], invoice.name)
        self.assertEqual(values["Date 日期"], "2026-11-20")
        # Once cancelled (or with a second posted invoice) the shipment numbers it again.
        invoice.button_draft()
        invoice.button_cancel()
        document = Document._sbk_commercial_invoice_of_shipment(shipment)
        self.assertEqual((document["number"], document["date"]), (shipment.name, shipment.etd))

    def test_each_line_states_its_country_of_origin(self):
        shipment = self._loaded_shipment()
        origin = self.company.country_id
        self.assertTrue(origin)
        Document = self.env["sbk.trade.document"]
        for document in (
            Document._sbk_commercial_invoice_of_shipment(shipment),
            Document._sbk_proforma_of_order(self.order),
        ):
            self.assertEqual([line["origin"] for line in document["lines"]], [origin] * 3)
        packing_list = Document._sbk_packing_list_of_shipment(shipment)
        self.assertEqual(
            {
                item.line.product_id: packing_list["origins"][item.line.product_id]
                for item in packing_list["items"]
            },
            dict.fromkeys((self.product, self.box, self.cover), origin),
        )
        for report_ref, rows in (
            ("sbk_trade.action_report_sbk_commercial_invoice", 3),
            ("sbk_trade.action_report_sbk_packing_list", 3),
        ):
            headers, cells = self._html_cells(report_ref, shipment, "o_sbk_line_origin")
            self.assertIn(["Origin", "原产国"], headers, report_ref)
            self.assertEqual(cells, [origin.name] * rows, report_ref)

    def test_marks_and_parties_come_from_the_shipment_the_order_or_the_default(self):
        shipment = self._shipment(self.order)
        self.assertEqual(shipment.consignee_id, self.export_customer)
        self.assertEqual(shipment.notify_partner_id, self.notify)
        self.assertEqual(
            shipment.printed_shipping_marks, "Foreign Buyer\nPO-7788\nHamburg\nC/NO. 1-24"
        )
        self.order.sbk_shipping_marks = "ACME\nHAMBURG\nC/NO. 1-UP"
        self.assertEqual(shipment.printed_shipping_marks, "ACME\nHAMBURG\nC/NO. 1-UP")
        shipment.shipping_marks = "N/M"
        document = self.env["sbk.trade.document"]._sbk_packing_list_of_shipment(shipment)
        self.assertEqual(document["marks"], "N/M")
        shipment.consignee_id = self.notify
        shipment.notify_partner_id = False
        document = self.env["sbk.trade.document"]._sbk_packing_list_of_shipment(shipment)
        self.assertEqual(
            (document["consignee"], document["notify"]), (self.notify, self.env["res.partner"])
        )

    def test_commercial_invoice_pdf_states_everything_in_english_and_chinese(self):
        shipment = self._loaded_shipment()
        text = self._pdf_text("sbk_trade.action_report_sbk_commercial_invoice", shipment)
        self._assert_all_in(
            text,
            [
                "COMMERCIAL INVOICE",
                "商业发票",
                "Shipper / Exporter 发货人",
                self.company.name,
                "88 Jiangnan Road",
                "Consignee 收货人",
                "Hafenstrasse 1",
                "Notify Party 通知人",
                "Hanse Customs Brokers",
                shipment.name,
                "PO-7788",
                "CIF Hamburg",
                "MSC ANNA / V.123E",
                "CSQU3054383 / SL12345",
                "C/NO. 1-24",
                "9405429000",
                "39269010",
                "Ceiling Light 18W",
                "吸顶灯测试款",
                "11,975.00",
                "of which Ocean Freight 其中运费",
                "of which Insurance 其中保险费",
                "FOB Value 离岸价",
                "ELEVEN THOUSAND, NINE HUNDRED AND SEVENTY-FIVE",
                "壹万壹仟玖佰柒拾伍元整",
                "6222-0200-1234-5678",
                "BKCHCNBJ92A",
                "24 cartons",
            ],
        )

    def test_invoice_commercial_invoice_pdf_carries_the_invoice_number(self):
        self._loaded_shipment()
        invoice = self.order._create_invoices()
        invoice.action_post()
        text = self._pdf_text("sbk_trade.action_report_sbk_invoice_commercial", invoice)
        self._assert_all_in(
            text, [invoice.name, "COMMERCIAL INVOICE", "商业发票", "MSC ANNA", "11,975.00"]
        )

    def test_packing_list_pdf_numbers_cartons_per_container(self):
        shipment = self._loaded_shipment()
        text = self._pdf_text("sbk_trade.action_report_sbk_packing_list", shipment)
        self._assert_all_in(
            text,
            [
                "PACKING LIST",
                "装箱单",
                "Shipper / Exporter 发货人",
                self.company.name,
                "Hanse Customs Brokers",
                "C/NO. 1-24",
                "Container 柜号: 40' HQ CSQU3054383 / Seal 封号: SL12345",
                "1-20",
                "21-24",
                "面板灯测试款",
                "MSC ANNA / V.123E",
                "24 cartons 箱, 1196 pcs 件",
                "N.W. 净重 518.00 kg",
            ],
        )

    def test_proforma_of_a_quotation(self):
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.export_customer.id,
                "client_order_ref": "RFQ-12",
                "incoterm": self.env.ref("account.incoterm_FOB").id,
                "incoterm_location": "Ningbo",
                "sbk_port_of_loading": "Ningbo",
                "sbk_port_of_discharge": "Hamburg",
                "sbk_etd": "2027-03-15",
                "validity_date": "2027-01-31",
                "payment_term_id": self.env.ref("account.account_payment_term_30days").id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 500,
                            "price_unit": 9.5,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        document = self.env["sbk.trade.document"]._sbk_proforma_of_order(quotation)
        self.assertEqual((document["amount_total"], document["amount_fob"]), (4750.0, 4750.0))
        self.assertFalse(document["states_freight"])  # FOB: the buyer pays the carriage
        self.assertEqual(document["packages"]["cartons"], 10)
        text = self._pdf_text("sbk_trade.action_report_sbk_proforma", quotation)
        self._assert_all_in(
            text,
            [
                "PROFORMA INVOICE / SALES CONTRACT",
                "形式发票 / 销售合同",
                quotation.name,
                "RFQ-12",
                "FOB Ningbo",
                "30 Days",
                "Valid Until 有效期至: 01/31/2027",
                "Latest Shipment 最迟装运期: 03/15/2027",
                "4,750.00",
                "FOUR THOUSAND, SEVEN HUNDRED AND FIFTY",
                "肆仟柒佰伍拾元整",
                "The Buyer 买方",
                "The Seller 卖方",
            ],
        )
        self.assertNotIn("其中运费", text)

    def test_commercial_invoice_and_packing_list_as_xlsx(self):
        shipment = self._loaded_shipment()
        document = self.env["sbk.trade.document"]._sbk_commercial_invoice_of_shipment(shipment)
        rows = list(
            openpyxl.load_workbook(io.BytesIO(trade_document_xlsx(document))).active.iter_rows(
                values_only=True
            )
        )
        values = {row[0]: row[1] for row in rows if row[0]}
        self.assertEqual(values["COMMERCIAL INVOICE 商业发票"], shipment.name)
        self.assertTrue(values["Notify Party 通知人"].startswith("Hanse Customs Brokers"))
        self.assertEqual(
            values["Shipping Marks 唛头"], "Foreign Buyer\nPO-7788\nHamburg\nC/NO. 1-24"
        )
        self.assertEqual(values["FOB Value 离岸价"], document["amount_fob"])
        self.assertEqual(values["大写"], f"{self.order.currency_id.name} 壹万壹仟玖佰柒拾伍元整")
        header = next(i for i, row in enumerate(rows) if row[0] == "No.\n序号")
        origin = self.company.country_id.name
        self.assertEqual(rows[header][5], "Origin\n原产国")
        self.assertEqual(
            [(row[4], row[5], row[6], row[9]) for row in rows[header + 1 : header + 4]],
            [
                ("9405429000", origin, 1000, 10000.0),
                ("9405429000", origin, 96, 1920.0),
                ("39269010", origin, 100, 55.0),
            ],
        )
        self.assertEqual(rows[header + 4][9], 11975.0)
        packing = list(
            openpyxl.load_workbook(io.BytesIO(packing_list_xlsx(shipment))).active.iter_rows(
                values_only=True
            )
        )
        table = packing[
            next(i for i, r in enumerate(packing) if r[0] == "Container No.\n柜号") + 1 :
        ]
        self.assertEqual([row[2] for row in table[:3]], ["1-20", "21-24", None])
        self.assertEqual(table[0][:2], ("CSQU3054383", "SL12345"))
        self.assertEqual([row[6] for row in table[:3]], [origin] * 3)
        self.assertEqual((table[3][0], table[3][7], table[3][8]), ("TOTAL 合计", 24, 1196))

    def test_documents_download_as_xlsx(self):
        shipment = self._loaded_shipment()
        invoice = self.order._create_invoices()
        invoice.action_post()
        self.authenticate("admin", "admin")
        for url, number in (
            # The orders' one posted invoice numbers the shipment's commercial invoice too.
            (f"/sbk_trade/shipment/{shipment.id}/commercial_invoice.xlsx", invoice.name),
            (f"/sbk_trade/invoice/{invoice.id}/commercial_invoice.xlsx", invoice.name),
            (f"/sbk_trade/order/{self.order.id}/proforma.xlsx", self.order.name),
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(number.replace("/", "-"), response.headers["Content-Disposition"])
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            self.assertEqual(sheet["B1"].value, number)
        # A vendor bill has no commercial invoice.
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.notify.id,
                "invoice_line_ids": [Command.create({"name": "Brokerage", "price_unit": 50.0})],
            }
        )
        response = self.url_open(f"/sbk_trade/invoice/{bill.id}/commercial_invoice.xlsx")
        self.assertEqual(response.status_code, 404)
