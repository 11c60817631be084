"""Optional online fallback: ask GeoNames or Nominatim (through geopy) for unknown names.

Off unless asked for (``mapper geocode --online geonames``): names the local index cannot
resolve may be sent to the GeoNames ``searchJSON`` web service (with the user's own
username) or to a Nominatim server, one request per ``min_delay_seconds`` at most. This is
the only mapper module that opens a socket, and it imports geopy only when a fallback is
made, so ``import mapper`` stays light and offline.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .errors import MapperError

__all__ = ["OnlineFallback", "OnlinePlace"]

log = logging.getLogger(__name__)

Service = Literal["geonames", "nominatim"]

# GeoNames' free web services over https (geopy's own default is plain http).
GEONAMES_DOMAIN = "secure.geonames.org"
NOMINATIM_DOMAIN = "nominatim.openstreetmap.org"
# The public Nominatim allows one request a second at most (its usage policy).
NOMINATIM_MIN_DELAY = 1.0


@dataclass(frozen=True, slots=True)
class OnlinePlace:
    """A place a web service returned: the fields of ``gazetteer.Place``, ids optional.

    GeoNames answers carry their ``geonameid``; Nominatim answers have none (``None``)
    but do have coordinates. ``source`` names the service.
    """

    geonameid: int | None
    name: str
    asciiname: str
    lat: float
    lon: float
    feature_class: str | None
    feature_code: str | None
    country_code: str | None
    admin1_code: str | None
    admin1_name: str | None
    admin2_code: str | None
    admin2_name: str | None
    population: int
    source: str

    @property
    def admin_code(self) -> str:
        """The dotted code of the deepest admin unit known (``US.IL``), as ``Place`` has."""
        parts = []
        for part in (self.country_code, self.admin1_code, self.admin2_code):
            if not part:
                break
            parts.append(part)
        return ".".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return the place as a JSON-ready dict (the JSONL contract's field names)."""
        return asdict(self)

    def __repr__(self) -> str:
        return f"OnlinePlace({self.geonameid}, {self.name!r}, {self.source})"


class OnlineFallback:
    """Look names up in a web geocoder, rate-limited; one instance per batch.

    Parameters
    ----------
    service
        ``"geonames"`` (the GeoNames ``searchJSON`` service, needs ``username``) or
        ``"nominatim"`` (OpenStreetMap's geocoder, or a self-hosted one via ``domain``).
    username
        Your GeoNames account name (free at geonames.org; enable its web services).
    user_agent
        The HTTP User-Agent; Nominatim's policy asks for one that names the application.
    min_delay_seconds
        The least time between the starts of two requests. The public Nominatim server
        is never asked more than once a second, whatever is given.
    domain
        Host (and port) of the service: ``secure.geonames.org`` and
        ``nominatim.openstreetmap.org`` by default; ``127.0.0.1:8080`` for a local one.
    scheme
        ``"https"`` or ``"http"``; by default https, except http for a loopback domain
        (``127.0.0.1``, ``localhost``, ``[::1]``) such as a test server.
    timeout
        Seconds to wait for one answer.

    Raises
    ------
    MapperError
        When GeoNames is asked for without a username.

    Examples
    --------
    >>> fallback = OnlineFallback("nominatim", domain="127.0.0.1:9", min_delay_seconds=0)
    >>> fallback.scheme, fallback.service
    ('http', 'nominatim')
    >>> fallback.close()
    """

    def __init__(self, service: Service, *, username: str | None = None,
                 user_agent: str = "newsmapper", min_delay_seconds: float = 1.0,
                 domain: str | None = None, scheme: str | None = None,
                 timeout: float = 10) -> None:
        if service not in ("geonames", "nominatim"):
            raise MapperError(f"unknown online service {service!r}; use geonames or nominatim")
        if service == "geonames" and not username:
            raise MapperError("the GeoNames web service needs a username: register at "
                              "https://www.geonames.org/login, enable its web services, "
                              "and pass --username NAME")
        self.service = service
        self.domain = domain or (GEONAMES_DOMAIN if service == "geonames" else NOMINATIM_DOMAIN)
        self.scheme = scheme or ("http" if _is_loopback(self.domain) else "https")
        if service == "nominatim" and self.domain == NOMINATIM_DOMAIN:
            min_delay_seconds = max(min_delay_seconds, NOMINATIM_MIN_DELAY)
        self.min_delay_seconds = min_delay_seconds
        self._geocoder = _make_geocoder(service, username=username, user_agent=user_agent,
                                        domain=self.domain, scheme=self.scheme,
                                        timeout=timeout)
        self._limited = _rate_limited(self._geocoder.geocode, min_delay_seconds)
        self._answers: dict[tuple[str, str | None], OnlinePlace | None] = {}

    def __repr__(self) -> str:
        return f"OnlineFallback({self.service!r}, {self.scheme}://{self.domain})"

    def __call__(self, name: str, *, country: str | None = None) -> OnlinePlace | None:
        """Return the service's best place for ``name`` (in ``country``), or None.

        Answers, including "nothing found", are remembered, so a repeated name costs one
        request. A failed request (network, quota, bad answer) raises ``MapperError``
        with the service's reason, and is not remembered.
        """
        key = (name, country or None)
        if key not in self._answers:
            self._answers[key] = self._ask(name, country or None)
        return self._answers[key]

    def _ask(self, name: str, country: str | None) -> OnlinePlace | None:
        from geopy.exc import GeopyError  # type: ignore[import-untyped]

        option = "country" if self.service == "geonames" else "country_codes"
        extra: dict[str, Any] = {option: country} if country else {}
        if self.service == "nominatim":
            extra["addressdetails"] = True
        try:
            location = self._limited(name, exactly_one=True, **extra)
        except (GeopyError, OSError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise MapperError(f"{self.service} request failed: {reason}") from exc
        if location is None:
            return None
        raw = location.raw
        if self.service == "geonames":
            return _from_geonames(raw, location.latitude, location.longitude)
        return _from_nominatim(raw, location.latitude, location.longitude)

    def close(self) -> None:
        """Close the HTTP connections (the object should not be used afterwards)."""
        self._geocoder.adapter.__exit__(None, None, None)

    def __enter__(self) -> OnlineFallback:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _is_loopback(domain: str) -> bool:
    """Whether ``host[:port]`` names this machine (a test or self-hosted server)."""
    if domain.startswith("["):
        host = domain[1:].split("]", 1)[0]
    else:
        host = domain.rsplit(":", 1)[0] if domain.count(":") == 1 else domain
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _make_geocoder(service: Service, *, username: str | None, user_agent: str, domain: str,
                   scheme: str, timeout: float) -> Any:
    """Geopy's GeoNames or Nominatim client (geopy is imported only here, when needed)."""
    if service == "geonames":
        from geopy.geocoders import GeoNames  # type: ignore[import-untyped]

        return GeoNames(username, user_agent=user_agent, domain=domain, scheme=scheme,
                        timeout=timeout)
    from geopy.geocoders import Nominatim  # type: ignore[import-untyped]

    return Nominatim(user_agent=user_agent, domain=domain, scheme=scheme, timeout=timeout)


def _rate_limited(function: Any, min_delay_seconds: float) -> Any:
    """Wrap a geocode function so that requests start at least ``min_delay_seconds`` apart.

    No retries and no swallowed errors: the caller reports each failure on its row.
    """
    from geopy.extra.rate_limiter import RateLimiter  # type: ignore[import-untyped]

    return RateLimiter(function, min_delay_seconds=min_delay_seconds, max_retries=0,
                       error_wait_seconds=min_delay_seconds, swallow_exceptions=False)


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _from_geonames(raw: dict[str, Any], lat: float, lon: float) -> OnlinePlace:
    """A GeoNames ``searchJSON`` record (geonameId, fcl, fcode, countryCode, adminName1…)."""
    name = str(raw.get("name") or raw.get("toponymName") or "")
    ident = raw.get("geonameId")
    return OnlinePlace(
        geonameid=int(ident) if ident not in (None, "") else None, name=name,
        asciiname=str(raw.get("asciiName") or raw.get("toponymName") or name),
        lat=lat, lon=lon, feature_class=_text(raw.get("fcl")),
        feature_code=_text(raw.get("fcode")), country_code=_text(raw.get("countryCode")),
        admin1_code=_text(raw.get("adminCode1")), admin1_name=_text(raw.get("adminName1")),
        admin2_code=_text(raw.get("adminCode2")), admin2_name=_text(raw.get("adminName2")),
        population=int(raw.get("population") or 0), source="geonames")


def _from_nominatim(raw: dict[str, Any], lat: float, lon: float) -> OnlinePlace:
    """A Nominatim ``/search`` record: coordinates, display_name, address; no geonameid."""
    address = raw.get("address") or {}
    display = str(raw.get("display_name") or "")
    name = str(raw.get("name") or display.split(",")[0].strip())
    country = _text(address.get("country_code"))
    return OnlinePlace(
        geonameid=None, name=name, asciiname=name, lat=lat, lon=lon, feature_class=None,
        feature_code=None, country_code=country.upper() if country else None,
        admin1_code=None, admin1_name=_text(address.get("state")), admin2_code=None,
        admin2_name=_text(address.get("county")), population=0, source="nominatim")
