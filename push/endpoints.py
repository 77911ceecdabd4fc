"""Which push endpoints the app will ever POST to.

A push subscription's endpoint is an address the browser hands us, so whoever is logged
in chooses it. Without rules, the worker would POST wherever it points: to the database's
port on loopback, to a cloud metadata service, to the office network. So:

- only `https`, on port 443, to a host written as a DNS name (or a plain public IP
  address); numbers in odd forms (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`) are
  refused, since a resolver would read them as addresses;
- every address the name resolves to must be public (globally routable): no loopback,
  private, link-local, CGNAT, multicast, reserved, unspecified, unique-local, nor an
  IPv4 address wrapped in IPv6 (mapped, compatible, 6to4, NAT64);
- the check runs when a device is added and again before every send, and the send
  connects to the very address that was checked (no second DNS lookup to rebind);
- `PUSH_ALLOW_LOOPBACK=1` (tests and local development only) also allows `http` and
  loopback addresses, on any port, for the loopback push service of the tests.

Nothing here touches the database; `check` is used by push.service and push.sender."""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_LENGTH = 1000

# What the worker writes in `notification.last_error` when it refuses an endpoint.
NOT_PUBLIC = "address not public"
BAD_ADDRESS = "address not allowed"
NOT_FOUND = "name not found"

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TOP_LABEL = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_URL_CHARS = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces or controls

_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
_RELAY_ANYCAST = ipaddress.ip_network("192.88.99.0/24")


class EndpointRefused(Exception):
    """The endpoint may not be used; `reason` is our own short words for last_error."""

    def __init__(self, reason: str, retry: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry  # only a DNS lookup without answer may work later


@dataclass(frozen=True)
class Target:
    """A checked endpoint: where to connect (`addresses`, all allowed) and what to ask for."""

    scheme: str
    host: str  # the name, for the Host header, TLS SNI and the certificate check
    port: int
    path: str
    addresses: tuple[str, ...]

    @property
    def origin(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally routable unicast, and not an IPv4 address in IPv6 clothing."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id or address not in _GLOBAL_UNICAST or address in _SIX_TO_FOUR:
            return False  # ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::, fc00::/7, fe80::/10, ff00::/8 are outside 2000::/3
    elif address in _RELAY_ANYCAST:
        return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def allowed_address(address: str, allow_loopback: bool = False) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    if is_public(parsed):
        return True
    return (
        allow_loopback
        and parsed.is_loopback
        and not (isinstance(parsed, ipaddress.IPv6Address) and (parsed.scope_id or parsed.ipv4_mapped))
    )


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """A host written as an IP address in its one plain form, else None."""
    try:
        return ipaddress.ip_address(host)  # strict: four decimal parts, no leading zeros
    except ValueError:
        return None


def _numeric_looking(host: str) -> bool:
    """Would a resolver read this name as an IPv4 address (decimal, octal, hex, short)?"""
    try:
        socket.inet_aton(host)
        return True
    except (OSError, ValueError):
        return False


def parse(endpoint: object, allow_loopback: bool = False) -> Target:
    """Check the endpoint's form (no DNS yet); `addresses` holds the literal address, if any."""
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= MAX_LENGTH or not _URL_CHARS.match(endpoint):
        raise EndpointRefused(BAD_ADDRESS)
    try:
        parts = urlsplit(endpoint)
        port = parts.port
        host = parts.hostname or ""
    except ValueError:
        raise EndpointRefused(BAD_ADDRESS) from None
    schemes = ("https", "http") if allow_loopback else ("https",)
    if parts.scheme not in schemes or not host or parts.username is not None or parts.password is not None:
        raise EndpointRefused(BAD_ADDRESS)
    default = 443 if parts.scheme == "https" else 80
    port = port or default
    if not allow_loopback and port != 443:
        raise EndpointRefused(BAD_ADDRESS)
    if host.endswith("."):
        host = host[:-1]  # the fully qualified form of a name
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    literal = _literal(host)
    if literal is not None:
        if not allowed_address(str(literal), allow_loopback):
            raise EndpointRefused(NOT_PUBLIC)
        return Target(parts.scheme, host, port, path, (str(literal),))
    labels = host.split(".")
    if _numeric_looking(host) or "%" in host or ":" in host:
        raise EndpointRefused(BAD_ADDRESS)
    if host == "localhost" and allow_loopback:
        return Target(parts.scheme, host, port, path, ())
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or not _TOP_LABEL.match(labels[-1])
    ):
        raise EndpointRefused(BAD_ADDRESS)
    return Target(parts.scheme, host, port, path, ())


def resolve(host: str, port: int) -> list[str]:
    """Every address the name resolves to, for TCP. Tests replace this with their own table."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


REQUEST_DNS_SECONDS = 3  # how long a web request waits for DNS when a device is turned on


def resolve_in_time(host: str, port: int, seconds: float = REQUEST_DNS_SECONDS) -> list[str]:
    """resolve(), waited for at most `seconds`: a web request never hangs on a name whose
    DNS does not answer (the lookup goes on in its own thread, bounded by the resolver)."""
    answer: dict = {}

    def ask() -> None:
        try:
            answer["addresses"] = resolve(host, port)
        except Exception as error:  # handed to the request's thread below
            answer["error"] = error

    thread = threading.Thread(target=ask, name="dns", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise OSError("no DNS answer in time")
    if "error" in answer:
        raise answer["error"]
    return answer["addresses"]


def check(endpoint: object, allow_loopback: bool = False, resolver=None) -> Target:
    """The endpoint's form, then its DNS answer: every address must be allowed. The returned
    Target carries the checked addresses, to connect to without asking DNS again."""
    target = parse(endpoint, allow_loopback)
    if target.addresses:
        return target
    try:
        addresses = (resolver or resolve)(target.host, target.port)
    except (OSError, UnicodeError):
        raise EndpointRefused(NOT_FOUND, retry=True) from None
    if not addresses:
        raise EndpointRefused(NOT_FOUND, retry=True)
    if not all(allowed_address(address, allow_loopback) for address in addresses):
        raise EndpointRefused(NOT_PUBLIC)
    return Target(target.scheme, target.host, target.port, target.path, tuple(addresses))
