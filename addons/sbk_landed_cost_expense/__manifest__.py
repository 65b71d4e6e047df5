# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SBK Landed Cost from Expenses",
    "summary": "Expenses name the export orders they are for: posted, they are the orders' costs",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "SBK Trade Bridge",
    "website": "https://github.com/sbk-trade-bridge",
    "license": "LGPL-3",
    "depends": ["sbk_landed_cost", "hr_expense"],
    "data": [
        "views/hr_expense_views.xml",
        "views/product_product_views.xml",
    ],
    "auto_install": True,
}
