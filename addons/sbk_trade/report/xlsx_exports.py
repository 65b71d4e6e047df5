"""XLSX exports of the trade documents, as forwarders and customs brokers take them.

The packing list, the commercial invoice and the proforma are written from the document
``sbk.trade.document`` builds for their PDF, so both say the same; the declaration from its
lines. ``tools.xlsx.build_workbook`` writes the file; the controllers serve them
(``controllers/main.py``).
"""

from ..tools.xlsx import build_workbook

TITLES = {
    "commercial_invoice": "COMMERCIAL INVOICE 商业发票",
    "packing_list": "PACKING LIST 装箱单",
    "proforma": "PROFORMA INVOICE / SALES CONTRACT 形式发票 / 销售合同",
}


def _partner_text(partner):
    lines = [partner.name or ""]
    lines += (partner._display_address(without_company=True) or "").splitlines()
    lines += [f"Tel: {partner.phone}"] if partner.phone else []
    lines += [f"Email: {partner.email}"] if partner.email else []
    return "\n".join(line for line in lines if line.strip())


def _header_rows(document):
    """The parties, references and route of a document, as label / value pairs."""
    incoterm = document["incoterm"]
    return [
        (TITLES[document["kind"]], document["number"]),
        ("Date 日期", document["date"] and document["date"].isoformat()),
        ("Shipper / Exporter 发货人", _partner_text(document["shipper"])),
        ("Consignee 收货人", _partner_text(document["consignee"])),
        (
            "Notify Party 通知人",
            _partner_text(document["notify"]) if document["notify"] else "SAME AS CONSIGNEE",
        ),
        ("Contract No. 合同号", document["contract"]),
        (
            "Terms of Delivery 贸易术语",
            " ".join(filter(None, [incoterm.code, document["incoterm_place"]])),
        ),
        ("Payment Terms 付款方式", document["payment_term"]),
        ("Port of Loading 起运港", document["port_of_loading"]),
        ("Port of Discharge 目的港", document["port_of_discharge"]),
        ("Vessel / Voyage 船名航次", document["vessel"]),
        ("ETD 开船日", document["etd"] and document["etd"].isoformat()),
        ("Shipping Marks 唛头", document["marks"]),
    ]


def packing_list_xlsx(shipment):
    """The packing list: one row per line as shipped, with carton numbers, container and
    seal, then the totals."""
    shipment.ensure_one()
    document = shipment.env["sbk.trade.document"]._sbk_packing_list_of_shipment(shipment)
    columns = [
        ("Container No.\n柜号", 14, None),
        ("Seal No.\n封号", 12, None),
        ("Carton No.\n箱号", 10, None),
        ("Item No.\n货号", 12, None),
        ("Description\n英文品名", 30, None),
        ("品名", 20, None),
        ("Origin\n原产国", 10, None),
        ("Cartons\n箱数", 8, "0"),
        ("Qty (pcs)\n数量", 10, "0.##"),
        ("Pcs/Ctn\n每箱数量", 9, "0"),
        ("N.W. (kg)\n净重", 11, "0.00"),
        ("G.W. (kg)\n毛重", 11, "0.00"),
        ("Meas. (m³)\n体积", 11, "0.000"),
        ("Order\n订单", 12, None),
    ]
    rows = []
    for item in document["items"]:
        line, product, packing = item.line, item.line.product_id, item.packing
        rows.append(
            [
                line.container_id.container_number or line.container_id.container_type or "",
                line.container_id.seal_number or "",
                f"{item.carton_from}-{item.carton_to}" if packing.cartons else "",
                product.default_code or "",
                product.sbk_name_en or product.name,
                product.sbk_name_cn or "",
                document["origins"][product].name or "",
                packing.cartons,
                item.quantity,
                product.sbk_pcs_per_carton,
                packing.net_weight,
                packing.gross_weight,
                packing.volume,
                line.sale_order_id.client_order_ref or line.sale_order_id.name or "",
            ]
        )
    packages = document["packages"]
    total = ["TOTAL 合计", "", "", "", "", "", "", packages["cartons"], packages["quantity"], ""]
    total += [packages["net_weight"], packages["gross_weight"], packages["volume"], ""]
    return build_workbook(shipment.name, _header_rows(document), columns, rows, total)


def trade_document_xlsx(document):
    """A commercial invoice or proforma: its lines, totals, amount in words and bank."""
    currency = document["currency"]
    money = "#,##0.00"
    columns = [
        ("No.\n序号", 6, "0"),
        ("Item No.\n货号", 12, None),
        ("Description\n英文品名", 30, None),
        ("品名", 20, None),
        ("HS Code\n海关编码", 13, None),
        ("Origin\n原产国", 10, None),
        ("Quantity\n数量", 10, "0.##"),
        ("Unit\n单位", 8, None),
        (f"Unit Price ({currency.name})\n单价", 13, "#,##0.0000"),
        (f"Amount ({currency.name})\n金额", 14, money),
    ]
    rows = [
        [
            index,
            line["code"],
            line["name_en"],
            line["name_cn"],
            line["hs_code"],
            line["origin"].name or "",
            line["quantity"],
            line["uom"],
            line["price_unit"],
            line["amount"],
        ]
        for index, line in enumerate(document["lines"], start=1)
    ]
    incoterm = " ".join(filter(None, [document["incoterm"].code, document["incoterm_place"]]))
    total = ["", "", f"TOTAL 合计 {incoterm}".strip(), "", "", "", "", "", ""]
    total.append(document["amount_goods"])
    footer = []
    if document["states_freight"]:
        footer += [
            ("of which Ocean Freight 其中运费", document["freight"]),
            ("of which Insurance 其中保险费", document["insurance"]),
        ]
    footer.append(("FOB Value 离岸价", document["amount_fob"]))
    if document["amount_tax"]:
        footer += [
            ("Taxes 税额", document["amount_tax"]),
            ("Total Due 应付总额", document["amount_total"]),
        ]
    footer += [
        ("Total in Words 大写金额", document["words_en"]),
        ("大写", document["words_cn"]),
    ]
    packages = document["packages"]
    if packages["cartons"] or packages["gross_weight"]:
        footer.append(
            (
                "Packing 包装",
                f"{packages['cartons']} cartons 箱, N.W. {packages['net_weight']:.2f} kg, "
                f"G.W. {packages['gross_weight']:.2f} kg, {packages['volume']:.3f} m³",
            )
        )
    bank = document["bank"]
    if bank:
        footer += [
            ("Beneficiary 收款人", bank.acc_holder_name or bank.partner_id.name),
            ("Bank 开户行", bank.bank_id.name or ""),
            ("Account No. 账号", bank.acc_number),
            ("SWIFT", bank.bank_id.bic or ""),
        ]
    header = _header_rows(document)
    if document["validity_date"]:
        header.append(("Valid Until 有效期至", document["validity_date"].isoformat()))
    if document["shipment_period"]:
        header.append(("Latest Shipment 最迟装运期", document["shipment_period"].isoformat()))
    return build_workbook(document["number"], header, columns, rows, total, footer)


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
