from . import account_move_line
from . import hr_expense
from . import sbk_order_cost
