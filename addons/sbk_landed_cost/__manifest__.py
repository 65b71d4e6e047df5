# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SBK Landed Cost",
    "summary": "Six-dimension landed cost, export rebate and FOB / CIF / landed profit per order",
    "version": "18.0.1.3.0",
    "category": "Accounting/Accounting",
    "author": "SBK Trade Bridge",
    "website": "https://github.com/sbk-trade-bridge",
    "license": "LGPL-3",
    "depends": ["sbk_trade", "purchase_stock", "stock_account"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "report/sbk_cost_sheet_report.xml",
        "views/sbk_order_cost_views.xml",
        "views/sale_order_views.xml",
        "views/sbk_rebate_claim_views.xml",
        "views/sbk_order_settlement_views.xml",
        "views/sbk_customs_declaration_views.xml",
        "views/account_move_views.xml",
        "wizard/account_payment_register_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "report/sbk_profit_report_views.xml",
        "data/ir_actions_server.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.report_assets_common": [
            "sbk_landed_cost/static/src/report/*",
        ],
        "web.assets_tests": [
            "sbk_landed_cost/static/tests/tours/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "demo": [
        "demo/product_demo.xml",
    ],
}
