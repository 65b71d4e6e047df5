# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SBK Export Reservation",
    "summary": "Export orders lock their stock when signed; domestic orders take only the rest",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "SBK Trade Bridge",
    "website": "https://github.com/sbk-trade-bridge",
    "license": "LGPL-3",
    "depends": ["sbk_trade", "sale_stock"],
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "wizard/sbk_export_lock_release_views.xml",
        "views/sbk_export_lock_views.xml",
        "views/sale_order_views.xml",
        "views/product_views.xml",
        "views/menus.xml",
    ],
}
