from . import sbk_trade_document
from . import sbk_trade_reports
from . import xlsx_exports
