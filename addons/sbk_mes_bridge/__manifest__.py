# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SBK MES Bridge",
    "summary": "Manufacturing orders to the MES and production progress back, over XML-RPC",
    "version": "18.0.1.1.0",
    "category": "Manufacturing/Manufacturing",
    "author": "SBK Trade Bridge",
    "website": "https://github.com/sbk-trade-bridge",
    "license": "LGPL-3",
    "depends": ["sbk_trade", "mrp", "mrp_account"],
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/sbk_mes_message_views.xml",
        "views/sbk_mes_event_views.xml",
        "views/mrp_production_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/sbk_mes_api_key_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/sbk_mes_demo.xml",
    ],
}
