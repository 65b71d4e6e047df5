"""XML-RPC client of the MES (``mes.push_job``, ``mes.cancel_job``): no Odoo import.

Credentials go in an HTTP Basic ``Authorization`` header, the site (database) name in
``X-MES-Site``; every call has a timeout so an MES that hangs cannot hold a cron worker.
"""

import base64
import xmlrpc.client


class MesNotConfigured(Exception):
    """The MES URL is not set: nothing can be delivered until it is."""


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout, **kwargs):
        super().__init__(**kwargs)
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


class _SafeTimeoutTransport(xmlrpc.client.SafeTransport):
    def __init__(self, timeout, **kwargs):
        super().__init__(**kwargs)
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


class MesClient:
    """Calls the MES's XML-RPC endpoint; raises what the transport raises."""

    def __init__(self, url, database=None, login=None, password=None, timeout=10.0):
        self.url = (url or "").strip()
        self.database = database or ""
        self.login = login or ""
        self.password = password or ""
        self.timeout = timeout or 10.0

    def _proxy(self):
        if not self.url:
            raise MesNotConfigured("The MES URL is not configured (Manufacturing settings).")
        headers = []
        if self.login:
            token = base64.b64encode(f"{self.login}:{self.password}".encode()).decode()
            headers.append(("Authorization", f"Basic {token}"))
        if self.database:
            headers.append(("X-MES-Site", self.database))
        transport_class = (
            _SafeTimeoutTransport if self.url.startswith("https:") else _TimeoutTransport
        )
        transport = transport_class(self.timeout, headers=headers)
        return xmlrpc.client.ServerProxy(self.url, transport=transport, allow_none=True)

    def push_job(self, job):
        with self._proxy() as proxy:
            return proxy.mes.push_job(job)

    def cancel_job(self, job_id, reason=""):
        with self._proxy() as proxy:
            return proxy.mes.cancel_job(job_id, reason)
