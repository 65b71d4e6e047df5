from . import test_expense_costs
from . import test_access_matrix
