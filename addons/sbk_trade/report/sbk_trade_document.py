from collections import defaultdict

from odoo import api, fields, models

from ..tools.trade_documents import (
    amount_in_chinese,
    default_shipping_marks,
    states_freight_and_insurance,
)


class SbkTradeDocument(models.AbstractModel):
    """The export documents customs and forwarders ask for, built from the record that holds
    their data: the commercial invoice of a shipment or of a customer invoice, the packing
    list of a shipment, the proforma invoice / sales contract of an export quotation.

    Each builder returns one dict (the "document") that the QWeb reports
    (``report/sbk_trade_document_templates.xml``) and the XLSX exports
    (``report/xlsx_exports.py``) render alike, so the PDF and the spreadsheet never differ.
    """

    _name = "sbk.trade.document"
    _description = "Export Trade Documents"

    # -- commercial invoice -------------------------------------------------------------

    @api.model
    def _sbk_commercial_invoice_of_shipment(self, shipment):
        """The commercial invoice of what ``shipment`` ships (its packing list as shipped),
        at the export orders' prices."""
        shipment.ensure_one()
        shipped = shipment._sbk_get_shipped_lines()
        by_sale_line = defaultdict(float)
        fob_items = defaultdict(list)
        for item in shipped:
            sale_line = item.line.move_id.sale_line_id
            by_sale_line[sale_line] += item.quantity
            fob_items[item.line.product_id.sbk_hs_code_id].append(
                (sale_line._sbk_get_fob_unit_price_per_product_uom(), item.quantity)
            )
        currency = shipment.currency_id
        lines = []
        for sale_line, quantity in by_sale_line.items():
            product = sale_line.product_id or shipment.packing_line_ids.product_id[:1]
            uom = sale_line.product_uom or product.uom_id
            quantity = product.uom_id._compute_quantity(quantity, uom)
            price = sale_line.price_unit * (1.0 - (sale_line.discount or 0.0) / 100.0)
            lines.append(
                self._sbk_line(
                    product,
                    quantity,
                    uom,
                    price,
                    currency.round(quantity * price),
                    shipment.company_id,
                )
            )
        document = self._sbk_shipment_header(shipment)
        invoice = self._sbk_get_invoice_of_orders(shipment.sale_order_ids)
        document.update(
            kind="commercial_invoice",
            number=invoice.name or shipment.name,
            date=invoice.invoice_date or shipment.etd or fields.Date.context_today(self),
            bank=self._sbk_get_bank(shipment.company_id, currency),
            packages=self._sbk_packages(shipped),
        )
        return self._sbk_complete(document, lines, fob_items, shipment.sale_order_ids, currency)

    @api.model
    def _sbk_commercial_invoice_of_invoice(self, move):
        """The commercial invoice of a customer invoice: its lines and totals, with the
        shipment's parties, marks and vessel when its orders were shipped."""
        move.ensure_one()
        orders = move.invoice_line_ids.sale_line_ids.order_id
        shipments = orders.sbk_shipment_ids.filtered(lambda s: s.state != "cancel")
        shipment = shipments.sorted("id")[-1:]
        currency = move.currency_id
        lines = []
        fob_items = defaultdict(list)
        for line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            product = line.product_id
            price = line.price_unit * (1.0 - (line.discount or 0.0) / 100.0)
            lines.append(
                self._sbk_line(
                    product,
                    line.quantity,
                    line.product_uom_id,
                    price,
                    line.price_subtotal,
                    move.company_id,
                )
            )
            quantity = line.product_uom_id._compute_quantity(line.quantity, product.uom_id)
            sale_line = line.sale_line_ids[:1]
            fob_price = (
                sale_line._sbk_get_fob_unit_price_per_product_uom()
                if sale_line
                else (line.price_subtotal / quantity if quantity else 0.0)
            )
            fob_items[product.sbk_hs_code_id].append((fob_price, quantity))
        if shipment:
            document = self._sbk_shipment_header(shipment)
            packages = self._sbk_packages(shipment._sbk_get_shipped_lines())
        else:
            document = self._sbk_order_header(orders.sorted("id")[:1], move.company_id)
            packages = self._sbk_estimated_packages(
                [
                    (line.product_id, line.product_uom_id, line.quantity)
                    for line in move.invoice_line_ids
                    if line.display_type == "product" and line.product_id
                ]
            )
        document.update(
            kind="commercial_invoice",
            record=move,
            number=move.name,
            date=move.invoice_date or fields.Date.context_today(self),
            buyer=move.partner_id.commercial_partner_id,
            incoterm=move.invoice_incoterm_id or document["incoterm"],
            incoterm_place=move.incoterm_location or document["incoterm_place"],
            payment_term=move.invoice_payment_term_id.name or document["payment_term"],
            bank=move.partner_bank_id or self._sbk_get_bank(move.company_id, currency),
            packages=packages,
        )
        return self._sbk_complete(document, lines, fob_items, orders, currency, totals_of=move)

    # -- proforma invoice / sales contract ------------------------------------------------

    @api.model
    def _sbk_proforma_of_order(self, order):
        """The proforma invoice / sales contract of an export quotation or order."""
        order.ensure_one()
        currency = order.currency_id
        lines = []
        fob_items = defaultdict(list)
        order_lines = order.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
        for line in order_lines:
            price = line.price_unit * (1.0 - (line.discount or 0.0) / 100.0)
            lines.append(
                self._sbk_line(
                    line.product_id,
                    line.product_uom_qty,
                    line.product_uom,
                    price,
                    line.price_subtotal,
                    order.company_id,
                )
            )
            quantity = line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id
            )
            fob_items[line.product_id.sbk_hs_code_id].append(
                (line._sbk_get_fob_unit_price_per_product_uom(), quantity)
            )
        document = self._sbk_order_header(order, order.company_id)
        document.update(
            kind="proforma",
            number=order.name,
            date=(order.date_order and order.date_order.date()) or fields.Date.context_today(self),
            validity_date=order.validity_date,
            etd=False,  # a contract states the latest shipment date, not a vessel's
            shipment_period=order.commitment_date and order.commitment_date.date() or order.sbk_etd,
            bank=self._sbk_get_bank(order.company_id, currency),
            packages=self._sbk_estimated_packages(
                [(line.product_id, line.product_uom, line.product_uom_qty) for line in order_lines]
            ),
        )
        return self._sbk_complete(document, lines, fob_items, order, currency, totals_of=order)

    # -- packing list -------------------------------------------------------------------

    @api.model
    def _sbk_packing_list_of_shipment(self, shipment):
        """The packing list: the shipment's shipped lines by container, with the totals."""
        shipment.ensure_one()
        shipped = shipment._sbk_get_shipped_lines()
        containers = []
        for container in shipment.container_ids.sorted(lambda c: (c.sequence, c.id)) or [None]:
            items = [
                item for item in shipped if container is None or item.line.container_id == container
            ]
            if container is not None and not items:
                continue
            containers.append(
                {"container": container, "items": items, "totals": self._sbk_packages(items)}
            )
        unassigned = [item for item in shipped if not item.line.container_id]
        if shipment.container_ids and unassigned:
            containers.append(
                {"container": None, "items": unassigned, "totals": self._sbk_packages(unassigned)}
            )
        document = self._sbk_shipment_header(shipment)
        document.update(
            kind="packing_list",
            number=shipment.name,
            date=shipment.etd or fields.Date.context_today(self),
            containers=containers,
            items=shipped,
            origins={
                product: self._sbk_get_origin(product, shipment.company_id)
                for product in shipment.packing_line_ids.product_id
            },
            packages=self._sbk_packages(shipped),
        )
        return document

    # -- parts --------------------------------------------------------------------------

    @api.model
    def _sbk_shipment_header(self, shipment):
        orders = shipment.sale_order_ids.sorted("id")
        document = self._sbk_order_header(orders[:1], shipment.company_id)
        document.update(
            record=shipment,
            buyer=shipment.partner_id.commercial_partner_id,
            consignee=shipment.consignee_id or shipment.partner_id,
            notify=shipment.notify_partner_id,
            contract=self._sbk_contract(orders),
            port_of_loading=shipment.port_of_loading or "",
            port_of_discharge=shipment.port_of_discharge or "",
            vessel=" / ".join(filter(None, [shipment.vessel, shipment.voyage])),
            etd=shipment.etd,
            marks=shipment.printed_shipping_marks or "",
            containers_summary=[
                (c.container_type, c.container_number or "", c.seal_number or "")
                for c in shipment.container_ids.sorted(lambda c: (c.sequence, c.id))
            ],
        )
        return document

    @api.model
    def _sbk_order_header(self, order, company):
        """What an export order alone says about the parties, the terms and the route."""
        buyer = order.partner_id.commercial_partner_id
        order_lines = order.order_line.filtered(
            lambda line: line.product_id and not line.display_type
        )
        packages = self._sbk_estimated_packages(
            [(line.product_id, line.product_uom, line.product_uom_qty) for line in order_lines]
        )
        marks = order.sbk_shipping_marks or default_shipping_marks(
            buyer.name,
            [order.client_order_ref or order.name] if order else [],
            order.sbk_port_of_discharge,
            packages["cartons"],
        )
        return {
            "record": order,
            "company": company,
            "shipper": company.partner_id,
            "buyer": buyer,
            "consignee": order.partner_shipping_id or order.partner_id,
            "notify": order.sbk_notify_partner_id,
            "contract": self._sbk_contract(order),
            "incoterm": order.incoterm,
            "incoterm_place": order.incoterm_location or "",
            "payment_term": order.payment_term_id.name or "",
            "port_of_loading": order.sbk_port_of_loading or "",
            "port_of_discharge": order.sbk_port_of_discharge or "",
            "vessel": "",
            "etd": order.sbk_etd,
            "marks": marks or "",
            "containers_summary": [],
            "origin": company.country_id,
            "validity_date": False,
            "shipment_period": False,
        }

    @api.model
    def _sbk_contract(self, orders):
        """Our contract numbers, with the buyer's own reference where it differs."""
        return ", ".join(
            f"{order.name} ({order.client_order_ref})"
            if order.client_order_ref and order.client_order_ref != order.name
            else order.name
            for order in orders
        )

    @api.model
    def _sbk_get_invoice_of_orders(self, orders):
        """The posted customer invoice of ``orders`` when exactly one invoices them (its lines
        invoice their lines), else an empty recordset: the commercial invoice of their shipment
        then states its number and date. Read as superuser: whoever prints the shipment's
        documents may not read invoices, and only the number and date are stated."""
        invoices = orders.sudo().order_line.invoice_lines.move_id.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        return invoices if len(invoices) == 1 else self.env["account.move"].sudo()

    @api.model
    def _sbk_get_origin(self, product, company):
        """The country of origin of ``product`` as the documents and the customs declaration
        state it (``sbk.customs.declaration.line``): the exporting company's country."""
        return company.country_id

    @api.model
    def _sbk_line(self, product, quantity, uom, price_unit, amount, company):
        return {
            "product": product,
            "code": product.default_code or "",
            "name_en": product.sbk_name_en or product.name or "",
            "name_cn": product.sbk_name_cn or "",
            "hs_code": product.sbk_hs_code_id.code or "",
            "origin": self._sbk_get_origin(product, company),
            "quantity": quantity,
            "uom": uom.name or "",
            "price_unit": price_unit,
            "amount": amount,
        }

    @api.model
    def _sbk_packages(self, shipped):
        """Cartons, weights and volume of shipped lines (``ShippedLine``)."""
        return {
            "cartons": sum(item.packing.cartons for item in shipped),
            "quantity": sum(item.quantity for item in shipped),
            "net_weight": sum(item.packing.net_weight for item in shipped),
            "gross_weight": sum(item.packing.gross_weight for item in shipped),
            "volume": sum(item.packing.volume for item in shipped),
        }

    @api.model
    def _sbk_estimated_packages(self, product_lines):
        """Cartons, weights and volume of ``(product, uom, quantity)`` not yet packed."""
        packings = []
        for product, uom, quantity in product_lines:
            if product.type == "consu":
                quantity = uom._compute_quantity(quantity, product.uom_id)
                packings.append((quantity, product._sbk_get_packing(quantity)))
        return {
            "cartons": sum(packing.cartons for _qty, packing in packings),
            "quantity": sum(qty for qty, _packing in packings),
            "net_weight": sum(packing.net_weight for _qty, packing in packings),
            "gross_weight": sum(packing.gross_weight for _qty, packing in packings),
            "volume": sum(packing.volume for _qty, packing in packings),
        }

    @api.model
    def _sbk_get_bank(self, company, currency):
        """The company's bank account for the buyer's payment: one in the document's currency
        first."""
        accounts = company.partner_id.bank_ids
        return accounts.filtered(lambda a: a.currency_id == currency)[:1] or accounts[:1]

    @api.model
    def _sbk_complete(self, document, lines, fob_items, orders, currency, totals_of=None):
        """Totals, freight and insurance, FOB value and the amount in words.

        ``totals_of`` is the invoice or order whose untaxed, tax and total amounts the document
        states; without it (a shipment) the lines' sum, without tax. The FOB value is summed and
        rounded per HS code as the customs declaration does
        (``sbk.customs.declaration.line._sbk_get_fob_amount``), so both state the same figure.
        """
        amount_goods = sum(line["amount"] for line in lines)
        tax, total = 0.0, amount_goods
        if totals_of:
            amount_goods = totals_of.amount_untaxed
            tax, total = totals_of.amount_tax, totals_of.amount_total
        DeclarationLine = self.env["sbk.customs.declaration.line"]
        amount_fob = sum(
            DeclarationLine._sbk_get_fob_amount(items, currency) for items in fob_items.values()
        )
        incoterm = document["incoterm"]
        states_freight = states_freight_and_insurance(incoterm.code)
        freight = insurance = 0.0
        if states_freight:
            freight, insurance = orders._sbk_get_freight_and_insurance(amount_goods, amount_fob)
            freight, insurance = currency.round(freight), currency.round(insurance)
            amount_fob = currency.round(amount_goods - freight - insurance)
        words = currency.with_context(lang="en_US").amount_to_text(total)
        document.update(
            currency=currency,
            lines=lines,
            hs_codes=sorted(code for code in {line["hs_code"] for line in lines} if code),
            amount_goods=amount_goods,
            amount_tax=tax,
            amount_total=total,
            states_freight=states_freight,
            freight=freight,
            insurance=insurance,
            amount_fob=currency.round(amount_fob),
            words_en=f"SAY {words.upper()} ONLY",
            words_cn=f"{currency.name} {amount_in_chinese(total)}",
        )
        return document
