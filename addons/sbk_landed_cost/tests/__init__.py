from . import test_order_cost_sheet
from . import test_basis_profit
from . import test_shared_bill_allocation
from . import test_rebate_methods
from . import test_multi_currency
from . import test_cost_updates
from . import test_access
from . import test_cost_sheet_download
