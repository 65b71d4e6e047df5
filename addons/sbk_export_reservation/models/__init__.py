from . import sbk_export_lock
from . import product_product
from . import sale_order
from . import sale_order_line
from . import stock_move
from . import stock_quant
