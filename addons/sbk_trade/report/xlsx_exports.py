"""XLSX exports of the trade documents, as forwarders and customs brokers take them.

Each function reads its document's records into rows; ``tools.xlsx.build_workbook`` writes
the file. The controllers serve them (``controllers/main.py``).
"""

from ..tools.xlsx import build_workbook


def packing_list_xlsx(shipment):
    """The packing list: one row per line with carton numbers, container and seal, then the
    totals."""
    shipment.ensure_one()
    columns = [
        ("Container No.\n柜号", 14, None),
        ("Seal No.\n封号", 12, None),
        ("Carton No.\n箱号", 10, None),
        ("Item No.\n货号", 12, None),
        ("Description\n英文品名", 30, None),
        ("品名", 20, None),
        ("Cartons\n箱数", 8, "0"),
        ("Qty (pcs)\n数量", 10, "0.##"),
        ("Pcs/Ctn\n每箱数量", 9, "0"),
        ("N.W. (kg)\n净重", 11, "0.00"),
        ("G.W. (kg)\n毛重", 11, "0.00"),
        ("Meas. (m³)\n体积", 11, "0.000"),
        ("Order\n订单", 12, None),
    ]
    rows = [
        [
            line.container_id.container_number or line.container_id.container_type or "",
            line.container_id.seal_number or "",
            line.carton_range or "",
            line.product_id.default_code or "",
            line.product_id.sbk_name_en or line.product_id.name,
            line.product_id.sbk_name_cn or "",
            line.cartons,
            line.quantity,
            line.product_id.sbk_pcs_per_carton,
            line.net_weight,
            line.gross_weight,
            line.volume,
            line.sale_order_id.client_order_ref or line.sale_order_id.name or "",
        ]
        for line in shipment.packing_line_ids
    ]
    total = [
        "TOTAL 合计",
        "",
        "",
        "",
        "",
        "",
        shipment.total_cartons,
        shipment.total_quantity,
        "",
        shipment.total_net_weight,
        shipment.total_gross_weight,
        shipment.total_volume,
        "",
    ]
    header = [
        ("PACKING LIST 装箱单", shipment.name),
        ("Buyer 买方", shipment.partner_id.display_name),
        (
            "Contract 合同号",
            ", ".join(shipment.sale_order_ids.mapped(lambda o: o.client_order_ref or o.name)),
        ),
        ("Port of Loading 起运港", shipment.port_of_loading),
        ("Port of Discharge 目的港", shipment.port_of_discharge),
        ("Vessel / Voyage 船名航次", " ".join(filter(None, [shipment.vessel, shipment.voyage]))),
        ("ETD 开船日", shipment.etd and shipment.etd.isoformat()),
    ]
    return build_workbook(shipment.name, header, columns, rows, total)


def declaration_xlsx(declaration):
    """The declaration's lines for the customs broker's software (one row per HS code)."""
    declaration.ensure_one()
    columns = [
        ("No.\n项号", 6, "0"),
        ("HS Code\n商品编号", 14, None),
        ("Goods Name\n商品名称", 28, None),
        ("Declaration Elements\n申报要素", 36, None),
        ("Quantity\n数量", 12, "0.##"),
        ("Unit\n单位", 8, None),
        ("N.W. (kg)\n净重", 12, "0.00"),
        ("Currency\n币制", 8, None),
        ("FOB Value\n总价", 14, "#,##0.00"),
        ("Origin\n原产国", 10, None),
    ]
    rows = [
        [
            index,
            line.hs_code_id.code,
            line.goods_name,
            line.declaration_elements or "",
            line.quantity,
            line.uom_id.name or "",
            line.net_weight,
            declaration.currency_id.name,
            line.amount_fob,
            line.origin_country_id.code or "",
        ]
        for index, line in enumerate(declaration.line_ids, start=1)
    ]
    total = [
        "",
        "",
        "TOTAL 合计",
        "",
        sum(declaration.line_ids.mapped("quantity")),
        "",
        declaration.total_net_weight,
        declaration.currency_id.name,
        declaration.amount_fob,
        "",
    ]
    trade_modes = dict(declaration._fields["trade_mode"].selection)
    header = [
        ("Declaration No. 报关单号", declaration.name or ""),
        ("Date 申报日期", declaration.date and declaration.date.isoformat()),
        ("Customs Port 出境关别", declaration.customs_port),
        ("Trade Mode 监管方式", trade_modes.get(declaration.trade_mode)),
        ("Incoterm 成交方式", declaration.incoterm_id.code),
        ("Shipment 出运", declaration.shipment_id.name),
    ]
    return build_workbook(declaration.name or "Declaration", header, columns, rows, total)
