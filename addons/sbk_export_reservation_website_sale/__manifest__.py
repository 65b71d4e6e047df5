# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SBK Export Reservation for the Online Shop",
    "summary": "The online shop shows and sells only stock no export order holds",
    "version": "18.0.1.0.0",
    "category": "Website/Website",
    "author": "SBK Trade Bridge",
    "website": "https://github.com/sbk-trade-bridge",
    "license": "LGPL-3",
    "depends": ["sbk_export_reservation", "website_sale_stock"],
    "assets": {
        "web.assets_tests": [
            "sbk_export_reservation_website_sale/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
}
