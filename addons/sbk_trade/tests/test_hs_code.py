from datetime import date, timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SbkTradeCommon


@tagged("post_install", "-at_install")
class TestHsCode(SbkTradeCommon):
    def test_code_is_stored_without_dots_or_spaces(self):
        self.assertEqual(self.hs_lighting.code, "9405429000")
        self.hs_plastics.code = "3926 90 10"
        self.assertEqual(self.hs_plastics.code, "39269010")

    def test_code_must_have_eight_or_ten_digits(self):
        for bad in ("940511", "9405.11.900", "9405ABCD00", "94054290001"):
            with self.subTest(code=bad), self.assertRaisesRegex(ValidationError, "8 or 10 digits"):
                self.env["sbk.hs.code"].create({"code": bad, "name": "Bad"})

    @mute_logger("odoo.sql_db")
    def test_code_is_unique_whatever_its_spelling(self):
        with self.assertRaises(IntegrityError):
            self.env["sbk.hs.code"].create({"code": "9405.42.9000", "name": "Duplicate"})

    def test_rates_between_zero_and_hundred(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.hs_plastics.vat_rate = 120.0
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.hs_plastics.rebate_rate = -1.0

    def test_rebate_cannot_exceed_vat(self):
        with self.assertRaisesRegex(ValidationError, "cannot exceed the VAT rate"):
            self.hs_plastics.write({"vat_rate": 9.0, "rebate_rate": 13.0})

    def test_search_by_printed_code(self):
        found = self.env["sbk.hs.code"].name_search("9405.42.9000")
        self.assertEqual([hs_id for hs_id, _name in found], [self.hs_lighting.id])
        self.assertEqual(self.hs_lighting.display_name, "9405429000 LED ceiling lighting fittings")

    def test_product_count_and_action(self):
        self.assertEqual(self.hs_lighting.product_count, 1)
        action = self.hs_lighting.action_view_products()
        self.assertEqual(
            self.env["product.template"].search(action["domain"]), self.product.product_tmpl_id
        )

    def test_user_enters_code_in_form(self):
        with Form(self.env["sbk.hs.code"]) as form:
            form.code = "8504.40.1990"
            form.name = "LED drivers"
            form.vat_rate = 13.0
            form.rebate_rate = 13.0
        self.assertEqual(form.record.code, "8504401990")

    def test_import_from_csv_normalises_codes(self):
        result = self.env["sbk.hs.code"].load(
            ["code", "name", "vat_rate", "rebate_rate", "declaration_elements"],
            [
                ["8541.49.0000", "Other light-emitting diodes", "13", "13", "品名|用途"],
                ["7616.99.9090", "Other articles of aluminium (other)", "13", "13", "品名|材质"],
            ],
        )
        self.assertFalse(result["messages"])
        codes = self.env["sbk.hs.code"].browse(result["ids"]).mapped("code")
        self.assertEqual(codes, ["8541490000", "7616999090"])

    def test_rate_changed_by_hand_is_a_change_from_today(self):
        # A code without history: its rates stand for any date.
        self.hs_plastics.write({"vat_rate": 13.0, "rebate_rate": 13.0})
        self.hs_plastics.rate_ids.unlink()
        long_ago = date(2020, 1, 1)
        self.assertEqual(self.hs_plastics._sbk_get_rates(long_ago), (13.0, 13.0))
        self.hs_plastics.rebate_rate = 9.0
        today = fields.Date.context_today(self.hs_plastics)
        rates = self.hs_plastics.rate_ids.sorted(lambda r: r.date_from or date.min)
        self.assertEqual(rates.mapped("date_from"), [False, today])
        self.assertEqual(rates.mapped("rebate_rate"), [13.0, 9.0])
        self.assertEqual(self.hs_plastics._sbk_get_rates(long_ago), (13.0, 13.0))
        self.assertEqual(self.hs_plastics._sbk_get_rates(today), (13.0, 9.0))

    def test_future_rate_comes_into_force_on_its_date(self):
        self.hs_plastics.write({"vat_rate": 13.0, "rebate_rate": 13.0})
        today = fields.Date.context_today(self.hs_plastics)
        self.env["sbk.hs.code.rate"].create(
            {
                "hs_code_id": self.hs_plastics.id,
                "date_from": today + timedelta(days=10),
                "vat_rate": 13.0,
                "rebate_rate": 0.0,
            }
        )
        self.assertEqual(self.hs_plastics.rebate_rate, 13.0, "not in force yet")
        self.assertEqual(self.hs_plastics._sbk_get_rates(today + timedelta(days=10)), (13.0, 0.0))
        with self.assertRaisesRegex(ValidationError, "cannot exceed the VAT rate"):
            self.env["sbk.hs.code.rate"].create(
                {
                    "hs_code_id": self.hs_plastics.id,
                    "vat_rate": 9.0,
                    "rebate_rate": 13.0,
                    "date_from": today + timedelta(days=20),
                }
            )
