from odoo import api, models
from odoo.exceptions import UserError


class SbkActionStateMixin(models.AbstractModel):
    """A document whose status only its actions change.

    ``write`` and ``create`` refuse the fields of ``_sbk_action_fields`` (the status and what
    goes with it) from any caller, a user over XML-RPC included; the actions check their
    rules and write them through ``_sbk_write_by_action``. A field sent with the value it
    already has (as a form does) is no change and passes.
    """

    _name = "sbk.action.state.mixin"
    _description = "Status Changed by Actions Only"
    _sbk_action_fields = ("state",)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            defaults = self.default_get(list(self._sbk_action_fields))
            for vals in vals_list:
                self._sbk_check_action_fields(
                    [
                        name
                        for name in self._sbk_action_fields
                        if name in vals and vals[name] != defaults.get(name, False)
                    ]
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._sbk_check_action_fields(
                [
                    name
                    for name in self._sbk_action_fields
                    if name in vals and self._sbk_changes(name, vals[name])
                ]
            )
        return super().write(vals)

    def _sbk_changes(self, name, value):
        field = self._fields[name]
        return any(
            record[name] != field.convert_to_record(field.convert_to_cache(value, record), record)
            for record in self
        )

    def _sbk_check_action_fields(self, names):
        if names:
            labels = ", ".join(self._fields[name]._description_string(self.env) for name in names)
            raise UserError(
                self.env._(
                    "%(fields)s of %(model)s cannot be written directly: use its buttons "
                    "(actions), which check what each step needs.",
                    fields=labels,
                    model=self.env["ir.model"]._get(self._name).name,
                )
            )

    def _sbk_write_by_action(self, vals):
        """Write the status (and its fields) for an action that has checked its rules."""
        self.check_access("write")
        # The write is the action's own: sudo marks it so (write() refuses these fields
        # otherwise); the caller's write access was checked above, tracking keeps the user.
        return self.sudo().write(vals)

    def _sbk_state_label(self, state=None):
        """The label of ``state`` (the record's own by default) in the user's language."""
        states = dict(self._fields["state"]._description_selection(self.env))
        return states[state or self.state]
