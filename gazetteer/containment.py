"""Whether a place lies inside a region: codes, then hierarchy, polygons, district centres.

A mixin of :class:`gazetteer.Gazetteer`, which supplies the connection (``db``), the
place reads, ``parents``, ``children`` and the shape cache built in its ``__init__``.
"""

from __future__ import annotations

import math
from typing import Any

from .distance import haversine_km
from .model import Containment, Place


class _Containment:
    """The containment half of :class:`gazetteer.Gazetteer`, with the shapes it reads."""

    def shape(self, kind: str, code: str) -> Any:
        """The polygon of an admin-1 unit (``kind="admin1"``) or country, or None."""
        return self._shape(kind, code)

    def _load_shape(self, kind: str, code: str) -> Any:
        row = self.db.execute("SELECT wkb FROM shapes WHERE kind = ? AND code = ?",
                              (kind, code)).fetchone()
        if not row:
            return None
        import shapely  # heavy; only containment by polygon needs it

        geom = shapely.from_wkb(row[0])
        shapely.prepare(geom)
        return geom

    def contains(self, parent: Place | int, child: Place | int) -> Containment:
        """Decide whether ``child`` lies inside the admin unit or country ``parent``.

        Codes decide first, then the GeoNames hierarchy, then admin-1 and country
        polygons, then (for districts, which have no polygons here) which district centre
        of the region is nearest. The result says which evidence decided.
        """
        parent = parent if isinstance(parent, Place) else self.get(parent)
        child = child if isinstance(child, Place) else self.get(child)
        for step in (_by_codes, self._by_hierarchy, self._by_polygon, self._by_distance):
            verdict = step(parent, child)
            if verdict is not None:
                return verdict
        return Containment(None, "none", f"no codes, hierarchy or shape relate {child.name} "
                           f"to {parent.name}")

    def _by_hierarchy(self, parent: Place, child: Place) -> Containment | None:
        chain = self.parents(child.geonameid)
        ids = [p.geonameid for p in chain]
        if parent.geonameid in ids:
            path = " → ".join(p.name for p in chain[: ids.index(parent.geonameid) + 1])
            return Containment(True, "hierarchy", f"GeoNames hierarchy: {child.name} → {path}")
        same_level = [p for p in chain if p.feature_code == parent.feature_code]
        if same_level and parent.feature_code.startswith("ADM"):
            return Containment(False, "hierarchy", f"GeoNames hierarchy puts {child.name} in "
                               f"{same_level[0].name}, not {parent.name}")
        return None

    def _by_polygon(self, parent: Place, child: Place) -> Containment | None:
        if parent.feature_code.startswith("PCL"):
            kind, code = "country", parent.country_code
        elif parent.feature_code == "ADM1" and parent.admin1_code:
            kind, code = "admin1", f"{parent.country_code}.{parent.admin1_code}"
        else:
            return None
        geom = self.shape(kind, code)
        if geom is None:
            return None
        import shapely

        point = shapely.Point(child.lon, child.lat)
        inside = bool(geom.covers(point))
        km = 0.0 if inside else _degrees_to_km(geom.distance(point), child.lat)
        word = "inside" if inside else f"outside (about {km:,.0f} km from the border of)"
        return Containment(inside, "polygon", f"the point of {child.name} lies {word} the "
                           f"{parent.name} polygon (Natural Earth)", None if inside else km)

    def _by_distance(self, parent: Place, child: Place) -> Containment | None:
        """Districts have no polygons here: compare the child with the district centres.

        Only centres that are real points count (not a region's point reused for a
        district that had no better source). The nearest centre being the parent's says
        inside; a centre far away from the child while others are near says outside; in
        between the data cannot tell.
        """
        if parent.feature_code not in ("ADM2", "ADM3") or not parent.admin1_code:
            return None
        if "fallback" in self.coordinate_source(parent.geonameid):
            return None
        siblings = [p for p in self.children(f"{parent.country_code}.{parent.admin1_code}",
                                             feature_code=parent.feature_code)
                    if "fallback" not in self.coordinate_source(p.geonameid)]
        if len(siblings) < 2:
            return None
        km = haversine_km(parent.lat, parent.lon, child.lat, child.lon)
        nearest = min(siblings, key=lambda p: haversine_km(p.lat, p.lon, child.lat, child.lon))
        nearest_km = haversine_km(nearest.lat, nearest.lon, child.lat, child.lon)
        evidence = (f"of {len(siblings)} district centres in the region the nearest to "
                    f"{child.name} is {nearest.name} ({nearest_km:,.0f} km); {parent.name}'s "
                    f"is {km:,.0f} km away")
        if nearest.geonameid == parent.geonameid:
            return Containment(True, "distance", evidence, km)
        if km > 2.5 * nearest_km + 30:
            return Containment(False, "distance", evidence, km)
        return Containment(None, "distance", evidence + "; too close to call", km)


def _by_codes(parent: Place, child: Place) -> Containment | None:
    code = parent.feature_code
    if code == "CONT":
        return None
    if code.startswith("PCL") or code == "TERR":
        inside = child.country_code == parent.country_code
        return Containment(inside, "codes", f"{child.name} has country code "
                           f"{child.country_code or 'none'}; {parent.name} is "
                           f"{parent.country_code}")
    if child.country_code and child.country_code != parent.country_code:
        return Containment(False, "codes", f"{child.name} is in country {child.country_code}, "
                           f"{parent.name} in {parent.country_code}")
    level = {"ADM1": 1, "ADM2": 2}.get(code)
    if level is None or not child.admin1_code or child.geonameid == parent.geonameid:
        return None
    if child.admin1_code != parent.admin1_code:
        return Containment(False, "codes", f"{child.name} has admin1 code "
                           f"{child.country_code}.{child.admin1_code} "
                           f"({child.admin1_name or '?'}); {parent.name} is "
                           f"{parent.country_code}.{parent.admin1_code}")
    if level == 1:
        return Containment(True, "codes", f"{child.name} has admin1 code "
                           f"{child.country_code}.{child.admin1_code}, the code of {parent.name}")
    if not child.admin2_code:
        return None
    inside = child.admin2_code == parent.admin2_code
    return Containment(inside, "codes", f"{child.name} has admin2 code {child.admin_code}; "
                       f"{parent.name} is {parent.admin_code}")


def _degrees_to_km(degrees: float, lat: float) -> float:
    return degrees * 111.0 * max(0.3, math.cos(math.radians(lat)))
