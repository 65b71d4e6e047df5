"""Development tooling of SBK Trade Bridge: one setup path for the demo, the tests and the benches.

- ``project``: where things are in the repository (addons read from their manifests).
- ``progress``: one progress line per step, and the one error type a command prints.
- ``system``: Debian packages the product needs outside Python (wkhtmltopdf, fonts, Chromium).
- ``odoo``: an Odoo 18.0 to run (``ODOO_HOME``, or a source and venv built in the cache).
- ``postgres``: a PostgreSQL server that answers (the machine's, or a private one in the cache).
- ``databases``: template and throwaway databases.
- ``logparse``: what Odoo's logs say (errors, test results).
- ``testrun`` / ``demo``: the two commands of README.md.

Nothing here imports Odoo: Odoo always runs in a process of its own, with its own Python.
"""
