# Pure computations: nothing here imports Odoo, so tests/ can load them on their own.
