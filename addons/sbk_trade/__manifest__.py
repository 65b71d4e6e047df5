# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SBK Trade",
    "summary": "Export trade master data and orders joined with inventory and manufacturing",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "author": "SBK Trade Bridge",
    "website": "https://github.com/sbk-trade-bridge",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_stock",
        "sale_mrp",
        "purchase_stock",
        "mrp",
        "barcodes",
        "barcodes_gs1_nomenclature",
    ],
    # stdnum (ISO 6346) comes with Odoo's own requirements (python-stdnum): not listed, since Odoo
    # needs the `packaging` library, which it does not require, to read a hyphenated name.
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/sbk_container_type_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "report/sbk_trade_document_templates.xml",
        "report/sbk_packing_list_report.xml",
        "report/sbk_commercial_invoice_report.xml",
        "report/sbk_proforma_report.xml",
        "views/sbk_hs_code_views.xml",
        "views/product_template_views.xml",
        "views/sbk_shortage_line_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/sbk_shipment_views.xml",
        "views/sbk_customs_declaration_views.xml",
        "views/stock_picking_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/sbk_hs_code_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_demo.xml",
        "demo/sbk_shipment_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "sbk_trade/static/src/loading/*",
        ],
        "web.report_assets_common": [
            "sbk_trade/static/src/report/*",
        ],
        "web.assets_tests": [
            "sbk_trade/static/tests/tours/*",
        ],
    },
    "application": True,
}
