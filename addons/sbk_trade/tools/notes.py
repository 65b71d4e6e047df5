"""HTML notes for the chatter and activities: a title and a bullet list, escaped."""

from markupsafe import Markup, escape


def html_list(title, items):
    """``<p>title</p><ul><li>item</li>...</ul>`` with every text escaped (no title: the
    list alone)."""
    body = Markup("<ul>%s</ul>") % Markup("").join(
        Markup("<li>%s</li>") % escape(item) for item in items
    )
    return Markup("<p>%s</p>%s") % (escape(title), body) if title else body
