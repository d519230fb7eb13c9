"""Network safety for fetching: which addresses may be reached and how long one URL may take.

A URL to fetch is often chosen by someone else (a feed entry, a list, a redirect), so fetching must
not become a way into the machine or its network, nor a way to hold storyline forever:

- **Addresses.** Every connection resolves its host itself, checks *every* address the name
  resolves to (private, loopback, link-local, multicast, reserved, unspecified and other
  non-global addresses are refused unless :attr:`FetchPolicy.allow_private`), and then connects to
  one of exactly those checked addresses. There is no second lookup between the check and the
  connection, so a DNS answer that changes in between (DNS rebinding) cannot slip through.
  Redirects are followed one hop at a time by :mod:`storyline.ingest.fetch`, and each hop's
  connection goes through the same check, so a redirect to ``127.0.0.1`` or ``169.254.169.254``
  is refused before a packet is sent. Proxies from the environment are not used: a proxy, not
  storyline, would resolve and reach the host.
- **Deadline.** A read timeout only bounds the gap between two bytes; a server dripping one byte
  every few seconds never trips it. :class:`FetchGuard` runs a timer for the whole URL
  (connection, redirects and body together) and shuts the URL's sockets down when it fires, which
  ends a blocked read at once. Name resolution itself is bounded by the system resolver's own
  timeouts, not by this deadline.

TLS certificates are still verified against the host name: only the TCP connection is made to
the checked address.
"""

from __future__ import annotations

import contextvars
import ipaddress
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from storyline.errors import InputRejected, Msg

ALLOW_PRIVATE_ENV = "STORYLINE_ALLOW_PRIVATE"


@dataclass(frozen=True)
class FetchPolicy:
    """What fetching may do.

    ``allow_private``: reach private, loopback, link-local and other non-public addresses (a local
    test server, an intranet site); refused by default (E020). ``deadline``: seconds one URL may
    take, connection, redirects and body together (E021). ``max_feed_entries``: entries of one
    feed that are fetched; the rest is reported once (E023). ``respect_robots``: obey robots.txt
    (E022). ``max_redirects``: redirect hops followed for one URL.
    """

    allow_private: bool = False
    deadline: float = 60.0
    max_feed_entries: int = 200
    respect_robots: bool = True
    max_redirects: int = 5

    @classmethod
    def from_env(cls) -> FetchPolicy:
        """The defaults, with ``allow_private`` on when ``STORYLINE_ALLOW_PRIVATE`` is ``1``,
        ``true`` or ``yes`` — for tests and local setups that fetch from ``127.0.0.1``."""
        flag = os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower()
        return cls(allow_private=flag in ("1", "true", "yes"))


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_PROBLEMS = (
    ("unspecified", "is_unspecified"),
    ("loopback", "is_loopback"),
    ("link-local", "is_link_local"),
    ("multicast", "is_multicast"),
    ("private", "is_private"),
    ("reserved", "is_reserved"),
)


def address_problem(ip: str) -> str | None:
    """Why fetching from this IP address is refused by default, or None for a public address.

    An IPv4 address embedded in IPv6 (``::ffff:127.0.0.1``, NAT64 ``64:ff9b::/96``, 6to4) is
    judged as the IPv4 address it reaches.
    """
    addr: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        elif addr in _NAT64:
            addr = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        elif addr.sixtofour is not None:
            addr = addr.sixtofour
    for why, test in _PROBLEMS:
        if getattr(addr, test):
            return why
    if not addr.is_global:
        return "not globally routable"
    return None


def resolve_checked(host: str, port: int, policy: FetchPolicy) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` results for a host, every address checked against the policy (E020)."""
    infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    if not policy.allow_private:
        for *_, sockaddr in infos:
            why = address_problem(str(sockaddr[0]))
            if why:
                raise InputRejected(Msg.E020, host=host, address=sockaddr[0], why=why)
    return infos


class FetchGuard:
    """The policy and the deadline of one URL; a context manager around its fetching.

    Connections made inside (see :func:`session`) are checked and watched by it; when the deadline
    passes, a timer thread shuts every watched socket down, so a blocked read returns at once.
    """

    def __init__(self, policy: FetchPolicy, deadline: float | None = None) -> None:
        self.policy = policy
        self.seconds = policy.deadline if deadline is None else deadline
        self.end = time.monotonic() + self.seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(self.seconds, self._expire)
        self._timer.daemon = True
        self._token: contextvars.Token[FetchGuard | None] | None = None

    def __enter__(self) -> FetchGuard:
        self._token = _CURRENT.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        if self._token is not None:
            _CURRENT.reset(self._token)
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def remaining(self) -> float:
        return self.end - time.monotonic()

    @property
    def out_of_time(self) -> bool:
        return self.expired or self.remaining() <= 0

    def check(self) -> None:
        """Raise E021 once the deadline has passed."""
        if self.out_of_time:
            raise self.too_slow()

    def too_slow(self) -> InputRejected:
        return InputRejected(Msg.E021, seconds=f"{self.seconds:g}")

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes. A duplicate descriptor is kept: shutting
        it down ends the connection even after TLS has wrapped (and detached) the original."""
        dup = sock.dup()
        with self._lock:
            self._sockets.append(dup)
            if self.expired:
                _shut(dup)

    def connect(self, conn: HTTPConnection) -> socket.socket:
        """Resolve, check and connect for a urllib3 connection (its ``_new_conn``), raising the
        errors urllib3 would so that requests reports them as usual."""
        self.check()
        host = getattr(conn, "_dns_host", conn.host)
        try:
            infos = resolve_checked(host, conn.port or 0, self.policy)
        except socket.gaierror as exc:
            raise NameResolutionError(conn.host, conn, exc) from exc
        timeout = self.remaining()
        if isinstance(conn.timeout, int | float):
            timeout = min(timeout, conn.timeout)
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                for option in conn.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(max(timeout, 0.001))
                if conn.source_address:
                    sock.bind(conn.source_address)
                sock.connect(sockaddr)
            except TimeoutError as exc:
                sock.close()
                raise ConnectTimeoutError(conn, f"Connection to {conn.host} timed out") from exc
            except OSError as exc:
                sock.close()
                error = exc
                continue
            self.watch(sock)
            return sock
        raise NewConnectionError(conn, f"Failed to establish a new connection: {error}")


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


_CURRENT: contextvars.ContextVar[FetchGuard | None] = contextvars.ContextVar(
    "storyline_fetch_guard", default=None)


class _GuardedConnection:
    """Mixin for urllib3 connections: the socket comes from the current :class:`FetchGuard`."""

    def _new_conn(self) -> socket.socket:
        guard = _CURRENT.get()
        if guard is None:
            raise RuntimeError("a guarded connection was opened outside FetchGuard")
        return guard.connect(self)  # type: ignore[arg-type]


class _HTTPConnection(_GuardedConnection, HTTPConnection):
    pass


class _HTTPSConnection(_GuardedConnection, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


def session() -> requests.Session:
    """A requests session whose connections go through the current :class:`FetchGuard`; no
    retries, no proxies or ``.netrc`` credentials from the environment (a CA bundle named by
    ``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE`` is still used)."""
    http = requests.Session()
    http.trust_env = False
    http.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    adapter = _GuardedAdapter(max_retries=0)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    return http
