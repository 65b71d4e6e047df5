import subprocess
import tempfile
import unicodedata

from odoo.tests import HttpCase, tagged

from .common import LandedCostCommon


@tagged("post_install", "-at_install")
class TestCostSheetPdf(LandedCostCommon, HttpCase):
    """The cost sheet printed for real: wkhtmltopdf renders it (fetching the report's styles
    from the test server), pdftotext reads it back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.stock, 1000)

    def _pdf_text(self, order, lang):
        report = self.env["ir.actions.report"].with_context(lang=lang, force_report_rendering=True)
        pdf, report_format = report._render_qweb_pdf(
            "sbk_landed_cost.report_sbk_cost_sheet", order.ids
        )
        self.assertEqual(report_format, "pdf")
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
        # CJK fonts map some glyphs to compatibility ideographs (⼈ for 人): back to the usual.
        return " ".join(unicodedata.normalize("NFKC", text).split())

    def test_printed_cost_sheet_in_english_and_chinese(self):
        order, *_docs = self._full_order()
        text = self._pdf_text(order, "en_US")
        for expected in (
            f"Cost Sheet {order.name}",
            "1,390.00",  # real profit, landed profit
            "8,767.00",  # FOB value
            "13.90 %",  # real margin
            "Posted and Expected Costs",
            "Every cost has arrived: the real profit is final.",
        ):
            self.assertIn(expected, text)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sbk_landed_cost"], ["zh_CN"])
        text = self._pdf_text(order, "zh_CN")
        for expected in (
            "成本核算单",
            "实际利润",
            "已过账与预计成本",
            "所有成本均已到账",
            "1,390.00",
        ):
            self.assertIn(expected, text)
