from odoo import api, models


class SbkTradeDocumentReport(models.AbstractModel):
    """A QWeb report of export documents: each record's document, as ``sbk.trade.document``
    builds it, goes to the template as ``documents``."""

    _name = "sbk.trade.document.report"
    _description = "Export Trade Document Report"
    _sbk_doc_model = None
    _sbk_builder = None

    @api.model
    def _get_report_values(self, docids, data=None):
        records = self.env[self._sbk_doc_model].browse(docids)
        build = getattr(self.env["sbk.trade.document"], self._sbk_builder)
        return {
            "doc_ids": docids,
            "doc_model": self._sbk_doc_model,
            "docs": records,
            "documents": [build(record) for record in records],
        }


class ReportSbkPackingList(models.AbstractModel):
    _name = "report.sbk_trade.report_sbk_packing_list"
    _inherit = "sbk.trade.document.report"
    _description = "Packing List"
    _sbk_doc_model = "sbk.shipment"
    _sbk_builder = "_sbk_packing_list_of_shipment"


class ReportSbkCommercialInvoice(models.AbstractModel):
    _name = "report.sbk_trade.report_sbk_commercial_invoice"
    _inherit = "sbk.trade.document.report"
    _description = "Commercial Invoice of a Shipment"
    _sbk_doc_model = "sbk.shipment"
    _sbk_builder = "_sbk_commercial_invoice_of_shipment"


class ReportSbkInvoiceCommercial(models.AbstractModel):
    _name = "report.sbk_trade.report_sbk_invoice_commercial"
    _inherit = "sbk.trade.document.report"
    _description = "Commercial Invoice of a Customer Invoice"
    _sbk_doc_model = "account.move"
    _sbk_builder = "_sbk_commercial_invoice_of_invoice"


class ReportSbkProforma(models.AbstractModel):
    _name = "report.sbk_trade.report_sbk_proforma"
    _inherit = "sbk.trade.document.report"
    _description = "Proforma Invoice / Sales Contract"
    _sbk_doc_model = "sale.order"
    _sbk_builder = "_sbk_proforma_of_order"
