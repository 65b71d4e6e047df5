from . import sbk_profit_report
