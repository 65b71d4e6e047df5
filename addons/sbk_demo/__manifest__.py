# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SBK Demo: Ningbo SBK Lighting",
    "summary": "The demo database tells the exporter's story: a Chinese LED maker in CNY with "
    "real documents in every state",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "SBK Trade Bridge",
    "website": "https://github.com/sbk-trade-bridge",
    "license": "LGPL-3",
    "depends": [
        "sbk_trade",
        "sbk_export_reservation",
        "sbk_mes_bridge",
        "sbk_landed_cost",
        "l10n_cn",
    ],
    # Without demo data the addon adds nothing: the story is demo data, built through the
    # product's own flows by sbk.demo._sbk_build_demo.
    "demo": [
        "demo/sbk_demo_data.xml",
    ],
}
