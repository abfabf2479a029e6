"""Where a fetch may connect: never into loopback, private, link-local or otherwise non-public
address space unless the user allows it. A feed is untrusted input; without this, one entry
could make the assistant read a router's admin page or a cloud's metadata service
(169.254.169.254) and quote it in the chat.

The check runs where the connection is made (a network backend for httpcore), on the very
address connected to, so a name that resolves to a public address when asked and to a private
one when connected (DNS rebinding) gets nowhere. TLS still verifies the host name: only the
TCP connection is pinned to the checked address.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64) or bits 16-48 (6to4).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class RefusedAddress(Exception):
    """A host that resolves into address space the settings do not allow."""

    def __init__(self, host: str, address: Address) -> None:
        super().__init__(f"{host} is a private or local address ({address})")
        self.host = host
        self.address = address


class UnknownHost(Exception):
    def __init__(self, host: str) -> None:
        super().__init__(f"the host name {host} could not be resolved")
        self.host = host


def is_public(address: Address) -> bool:
    """A global unicast address, looking through the IPv6 forms that wrap an IPv4 one
    (``::ffff:127.0.0.1``, ``::127.0.0.1``, 6to4, NAT64)."""
    inner = _wrapped_ipv4(address)
    if inner is not None:
        return is_public(inner)
    return address.is_global and not address.is_multicast


def _wrapped_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or int(address) >> 32 == 0:  # NAT64, or IPv4-compatible (::a.b.c.d)
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def resolve(host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnknownHost(host) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_host(host: str, port: int) -> list[Address]:
    """The addresses of ``host``, all public, or ``RefusedAddress`` naming the first that is
    not (a name with one private address among public ones is refused as a whole)."""
    addresses = resolve(host, port)
    for address in addresses:
        if not is_public(address):
            raise RefusedAddress(host, address)
    return addresses


class _GuardedBackend(httpcore.SyncBackend):
    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        failure: Exception | None = None
        for address in check_host(host, port):
            try:
                return super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:  # the next address, as browsers do
                failure = exc
        assert failure is not None
        raise failure


def guarded_transport() -> httpx.HTTPTransport:
    """An httpx transport that connects only to public addresses, with no proxy (a proxy from
    the environment would connect for us, beyond the check)."""
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx has no public way to pass a network backend; its transport sends every request
    # through this pool, so replacing the pool is the one place to put the check.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        network_backend=_GuardedBackend(),
    )
    return transport
