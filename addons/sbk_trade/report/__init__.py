from . import xlsx_exports
