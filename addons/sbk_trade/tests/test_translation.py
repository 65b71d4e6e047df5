from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    def test_zh_cn_labels_and_messages_load(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "sbk_trade")])._update_translations(
            ["zh_CN"]
        )
        fields = (
            self.env["product.template"]
            .with_context(lang="zh_CN")
            .fields_get(["sbk_pcs_per_carton", "sbk_hs_code_id"])
        )
        self.assertEqual(fields["sbk_pcs_per_carton"]["string"], "每箱件数")
        self.assertEqual(fields["sbk_hs_code_id"]["string"], "HS编码")
        message = self.env["sbk.hs.code"].with_context(lang="zh_CN").env._("No source for %s", "X")
        self.assertEqual(message, "X 无供应来源")
