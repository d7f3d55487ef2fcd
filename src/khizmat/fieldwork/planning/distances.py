"""Road distances (metres) and travel times (seconds) between the places of a day's plan.

A provider answers ``matrix(places)`` with two square lists of whole numbers, in the order of ``places`` (anything
with ``lat`` and ``lon``). ``FIELDWORK_DISTANCE_PROVIDER`` names the one the product uses (a dotted path, built with
no arguments): straight lines stretched by a road circuity factor by default, an OSRM server when one is run.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import NoReturn, Protocol

from django.utils.translation import gettext_lazy as _

from .errors import DistanceError

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
DEFAULT_PROVIDER = "khizmat.fieldwork.planning.distances.StraightLineWithCircuity"
DEFAULT_CIRCUITY = 1.35
DEFAULT_SPEED_KMH = 25.0


class Place(Protocol):
    lat: float
    lon: float


class DistanceProvider(Protocol):
    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        """Distances in metres and travel times in seconds from each place to each place."""
        ...


def setting(name: str, default):
    """A ``FIELDWORK_*`` setting, or ``default`` outside a configured Django (scripts, benchmarks)."""
    from django.conf import settings

    if not settings.configured:
        return default
    return getattr(settings, name, default)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres on the mean Earth sphere."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class StraightLineWithCircuity:
    """The straight-line distance times a circuity factor (roads are longer than the crow flies: 1.3–1.4 in small
    towns), driven at an average speed. Needs no server; the product's default.

    Defaults: ``FIELDWORK_ROAD_CIRCUITY`` (1.35) and ``FIELDWORK_TRUCK_SPEED_KMH`` (25).
    """

    def __init__(self, factor: float | None = None, speed_kmh: float | None = None):
        self.factor = float(
            factor if factor is not None else setting("FIELDWORK_ROAD_CIRCUITY", DEFAULT_CIRCUITY)
        )
        self.speed_kmh = float(
            speed_kmh if speed_kmh is not None else setting("FIELDWORK_TRUCK_SPEED_KMH", DEFAULT_SPEED_KMH)
        )
        if self.factor < 1 or self.speed_kmh <= 0:
            raise ValueError("The circuity factor must be at least 1 and the speed positive.")

    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        for place in places:
            if not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
                raise ValueError(f"Not a latitude/longitude: {place.lat}, {place.lon}")
        metres_per_second = self.speed_kmh / 3.6
        distance = [
            [round(haversine_m(a.lat, a.lon, b.lat, b.lon) * self.factor) for b in places] for a in places
        ]
        duration = [[round(d / metres_per_second) for d in row] for row in distance]
        return distance, duration


class OsrmTable:
    """Distances and times by road from an OSRM server's table service (``/table/v1/{profile}/…`` with
    ``annotations=distance,duration``). Large matrices are asked for in blocks of at most ``max_table_size``
    places (the server's ``--max-table-size``, 100 by default).

    Defaults: ``FIELDWORK_OSRM_URL`` (e.g. ``http://127.0.0.1:5000``), ``FIELDWORK_OSRM_TIMEOUT`` (30 s).
    """

    def __init__(
        self,
        base_url: str | None = None,
        timeout: float | None = None,
        *,
        profile: str = "driving",
        max_table_size: int = 100,
    ):
        self.base_url = (base_url if base_url is not None else setting("FIELDWORK_OSRM_URL", "")).rstrip("/")
        self.timeout = float(timeout if timeout is not None else setting("FIELDWORK_OSRM_TIMEOUT", 30))
        self.profile = profile
        self.max_table_size = max(2, max_table_size)
        if not self.base_url:
            raise DistanceError(
                _("No road distance server is configured (FIELDWORK_OSRM_URL)."), code="osrm_not_configured"
            )

    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        size = len(places)
        if size <= self.max_table_size:
            distance, duration = self._table(places, None, None)
        else:
            block = self.max_table_size // 2
            distance = [[0] * size for _ in range(size)]
            duration = [[0] * size for _ in range(size)]
            for src in range(0, size, block):
                sources = list(range(src, min(src + block, size)))
                for dst in range(0, size, block):
                    destinations = list(range(dst, min(dst + block, size)))
                    part_distance, part_duration = self._table(places, sources, destinations)
                    for i, row in enumerate(sources):
                        for j, column in enumerate(destinations):
                            distance[row][column] = part_distance[i][j]
                            duration[row][column] = part_duration[i][j]
        for i in range(size):
            distance[i][i] = duration[i][i] = 0
        return distance, duration

    def _table(self, places, sources: list[int] | None, destinations: list[int] | None):
        """One table request: all places, or the given source rows × destination columns."""
        if sources is None:
            chosen, query = list(places), {}
        else:
            chosen = [places[i] for i in sources] + [places[j] for j in destinations]
            query = {
                "sources": ";".join(str(i) for i in range(len(sources))),
                "destinations": ";".join(str(len(sources) + j) for j in range(len(destinations))),
            }
        coordinates = ";".join(f"{place.lon:.6f},{place.lat:.6f}" for place in chosen)
        query["annotations"] = "distance,duration"
        url = f"{self.base_url}/table/v1/{self.profile}/{coordinates}?{urllib.parse.urlencode(query, safe=';,')}"
        body = self._get(url)
        if body.get("code") != "Ok":
            self._fail(f"{body.get('code')}: {body.get('message', '')}")
        rows = len(sources) if sources is not None else len(chosen)
        columns = len(destinations) if destinations is not None else len(chosen)
        distance, duration = body.get("distances"), body.get("durations")
        if (
            not isinstance(distance, list)
            or not isinstance(duration, list)
            or len(distance) != rows
            or len(duration) != rows
            or any(len(row) != columns for row in distance + duration)
        ):
            self._fail("the answer has no distance and duration table of the right size")
        for i in range(rows):
            for j in range(columns):
                if distance[i][j] is None or duration[i][j] is None:
                    raise DistanceError(
                        _("The road distance server finds no road from %(origin)s to %(destination)s."),
                        code="osrm_no_route",
                        params={
                            "origin": getattr(places[sources[i] if sources else i], "key", i),
                            "destination": getattr(places[destinations[j] if destinations else j], "key", j),
                        },
                    )
        return (
            [[round(value) for value in row] for row in distance],
            [[round(value) for value in row] for row in duration],
        )

    def _get(self, url: str) -> dict:
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            try:
                detail = json.loads(error.read().decode("utf-8")).get("message", "")
            except (ValueError, OSError):
                detail = ""
            self._fail(f"HTTP {error.code} {detail}".strip())
        except urllib.error.URLError as error:
            self._fail(str(error.reason))
        except (TimeoutError, OSError) as error:
            self._fail(str(error) or type(error).__name__)
        except ValueError:
            self._fail("the answer is not JSON")

    def _fail(self, reason: str) -> NoReturn:
        raise DistanceError(
            _("The road distance server %(url)s did not answer: %(reason)s"),
            code="osrm_unavailable",
            params={"url": self.base_url, "reason": reason},
        )


class ExplicitMatrix:
    """A matrix the caller already has (measured, or from a benchmark instance); times default to zero."""

    def __init__(self, distance: Sequence[Sequence[int]], duration: Sequence[Sequence[int]] | None = None):
        self.distance = [[int(value) for value in row] for row in distance]
        self.duration = (
            [[int(value) for value in row] for row in duration]
            if duration is not None
            else [[0] * len(row) for row in self.distance]
        )

    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        if len(self.distance) != len(places):
            raise ValueError(f"The matrix has {len(self.distance)} rows for {len(places)} places.")
        return self.distance, self.duration


def provider_from_settings() -> DistanceProvider:
    """The provider named by ``FIELDWORK_DISTANCE_PROVIDER``, built with its defaults."""
    from django.utils.module_loading import import_string

    return import_string(setting("FIELDWORK_DISTANCE_PROVIDER", DEFAULT_PROVIDER))()
