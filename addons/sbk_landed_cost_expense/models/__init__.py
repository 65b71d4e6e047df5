from . import hr_expense
