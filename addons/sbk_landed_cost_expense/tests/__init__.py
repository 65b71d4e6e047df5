from . import test_expense_costs
