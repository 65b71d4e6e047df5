from . import test_hs_code
from . import test_product_master
from . import test_access
from . import test_trade_order
from . import test_order_to_production
from . import test_translation
