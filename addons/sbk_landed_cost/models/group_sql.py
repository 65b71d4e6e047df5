"""The SQL of grouped profit figures, shared by ``sale.order`` and ``sbk.profit.report``.

Not a model: helpers for ``_read_group_select`` overrides. A margin of a group is a ratio of
its sums, never an average of its rows' margins; a real figure counts the rows whose costs
are complete only (the real profit of an order still waiting for costs is not a real one).
"""

from odoo.tools import SQL


def only_if_sql(model, query, fname, condition=None):
    """The column of ``fname``, empty (NULL) on the rows where the boolean field
    ``condition`` is not true: left out of any aggregate. Without ``condition``, the column."""
    column = model._field_to_sql(model._table, fname, query)
    if not condition:
        return column
    condition_sql = model._field_to_sql(model._table, condition, query)
    return SQL("CASE WHEN %s THEN %s END", condition_sql, column)


def ratio_of_sums_sql(model, query, numerators, denominators, condition=None):
    """The percentage ``SUM(numerators) / SUM(denominators) * 100`` of a group (0 when the
    denominator sums to 0), each a list of field names added up per row; with ``condition``
    (a boolean field), the rows where it is not true count on neither side."""

    def row_sum(names):
        return SQL(" + ").join(only_if_sql(model, query, name, condition) for name in names)

    return SQL(
        "COALESCE(SUM(%s) / NULLIF(SUM(%s), 0), 0) * 100",
        row_sum(numerators),
        row_sum(denominators),
    )
