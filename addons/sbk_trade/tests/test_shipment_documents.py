import io

import openpyxl

from odoo.tests import new_test_user, tagged

from ..report.xlsx_exports import declaration_xlsx, packing_list_xlsx
from .shipment_common import SbkShipmentCommon


@tagged("post_install", "-at_install")
class TestShipmentDocuments(SbkShipmentCommon):
    def test_packing_list_pdf_and_xlsx(self):
        self.env.ref("sbk_trade.container_type_20gp").capacity_cbm = 1.0
        shipment = self._shipment(self.order_a, containers=("20GP", "40HQ"))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sbk_trade.report_sbk_packing_list", shipment.ids)[0]
            .decode()
        )
        self.assertIn("装箱单", html)
        self.assertIn("15-21", html)
        self.assertIn("PO-A", html)
        workbook = openpyxl.load_workbook(io.BytesIO(packing_list_xlsx(shipment)))
        rows = list(workbook.active.iter_rows(values_only=True))
        header_index = next(i for i, row in enumerate(rows) if row[0] == "Container No.\n柜号")
        table = rows[header_index + 1 :]
        self.assertEqual([row[2] for row in table[:3]], ["1-14", "15-21", "22-26"])
        self.assertEqual([row[7] for row in table[:3]], [14, 7, 5])
        self.assertEqual(table[3][0], "TOTAL 合计")
        self.assertEqual(table[3][7], 26)
        self.assertAlmostEqual(table[3][10], 513.5)

    def test_declaration_lines_xlsx(self):
        declaration = self._declared(300)
        declaration.name = "310120261125000002"
        sheet = openpyxl.load_workbook(io.BytesIO(declaration_xlsx(declaration))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:2], ("Declaration No. 报关单号", "310120261125000002"))
        header = next(i for i, row in enumerate(rows) if row[0] == "No.\n项号")
        line = rows[header + 1]
        self.assertEqual(line[1], "9405429000")
        self.assertEqual(line[4], 300)
        self.assertEqual(line[8], 3000.0)

    def test_xlsx_writes_every_text_as_text(self):
        formula = '=HYPERLINK("http://evil.example/x","Open")'
        self.export_customer.name = formula
        shipment = self._shipment(self.order_b)
        shipment.write({"vessel": "https://tracking.example/vessel", "voyage": "+1+1"})
        workbook = openpyxl.load_workbook(io.BytesIO(packing_list_xlsx(shipment)))
        sheet = workbook.active
        cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
        consignee = next(cell for value, cell in cells.items() if str(value).startswith("="))
        self.assertTrue(consignee.value.startswith(formula + "\n"))  # the name, then the address
        self.assertEqual(consignee.data_type, "s")
        vessel = cells["https://tracking.example/vessel / +1+1"]
        self.assertEqual(vessel.data_type, "s")
        self.assertIsNone(vessel.hyperlink)
        self.assertFalse(sheet._hyperlinks)

    def test_warehouse_and_trade_users_print_the_documents(self):
        warehouse_user = new_test_user(self.env, "docs_stock", groups="stock.group_stock_user")
        trade_user = new_test_user(self.env, "docs_trade", groups="sbk_trade.group_sbk_trade_user")
        bank = self.env["res.partner.bank"].create(
            {
                "partner_id": self.company.partner_id.id,
                "acc_number": "CN-DOCS-0001",
                "currency_id": self.order_a.currency_id.id,
            }
        )
        self.order_a.user_id = trade_user  # a salesperson prints their own contracts
        shipment = self._shipment(self.order_a)
        Report = self.env["ir.actions.report"]
        cases = [
            (warehouse_user, "sbk_trade.report_sbk_packing_list", shipment, "22-26"),
            (warehouse_user, "sbk_trade.report_sbk_commercial_invoice", shipment, bank.acc_number),
            (trade_user, "sbk_trade.report_sbk_commercial_invoice", shipment, "10,300.00"),
            (trade_user, "sbk_trade.report_sbk_proforma", self.order_a, "PO-A"),
        ]
        for user, report, records, expected in cases:
            with self.subTest(user=user.login, report=report):
                html = Report.with_user(user)._render_qweb_html(report, records.ids)[0].decode()
                self.assertIn(expected, html)
