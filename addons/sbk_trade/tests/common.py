from odoo import Command
from odoo.tests import TransactionCase


class SbkTradeCommon(TransactionCase):
    """Records shared by the trade tests: HS codes, a packed product, customers and users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.hs_lighting = cls.env["sbk.hs.code"].create(
            {
                "code": "9405.42.9000",
                "name": "LED ceiling lighting fittings",
                "vat_rate": 13.0,
                "rebate_rate": 13.0,
                "declaration_elements": "品名|用途|材质|功率",
            }
        )
        cls.hs_plastics = cls.env["sbk.hs.code"].create(
            {"code": "39269010", "name": "Other articles of plastics", "rebate_rate": 9.0}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Test Ceiling Light",
                "default_code": "TCL18",
                "barcode": "TCL18-BARCODE",
                "is_storable": True,
                "sbk_name_en": "Ceiling Light 18W",
                "sbk_name_cn": "吸顶灯测试款",
                "sbk_aliases": "flush mount, downlight",
                "sbk_hs_code_id": cls.hs_lighting.id,
                "sbk_pcs_per_carton": 50,
                "sbk_carton_length_cm": 62,
                "sbk_carton_width_cm": 32,
                "sbk_carton_height_cm": 35,
                "sbk_carton_net_weight": 22.5,
                "sbk_carton_gross_weight": 24.0,
            }
        )
        cls.foreign_country = cls.env.ref("base.de")
        if cls.company.country_id == cls.foreign_country:
            cls.foreign_country = cls.env.ref("base.fr")
        if not cls.company.country_id:
            cls.company.country_id = cls.env.ref("base.cn")
        cls.export_customer = cls.env["res.partner"].create(
            {"name": "Foreign Buyer", "country_id": cls.foreign_country.id}
        )
        cls.domestic_customer = cls.env["res.partner"].create(
            {"name": "Domestic Buyer", "country_id": cls.company.country_id.id}
        )

    @classmethod
    def _create_user(cls, login, groups):
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login,
                    "login": login,
                    "email": f"{login}@example.com",
                    "groups_id": [Command.set([cls.env.ref(g).id for g in groups])],
                }
            )
        )
