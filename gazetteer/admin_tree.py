"""The admin tree: codes of units, the unit rows, their children and a place's parents.

A mixin of :class:`gazetteer.Gazetteer`, which supplies the connection (``db``) and the
place reads (``get``, ``find``, ``_places``).
"""

from __future__ import annotations

from typing import Any

from .model import Place


class _AdminTree:
    """The admin-tree half of :class:`gazetteer.Gazetteer`; also the filter of searches."""

    def _filter(self, country_code: str | None, within: str | None, feature_class: str | None,
                feature_code: str | None) -> Any:
        prefix = None
        if within is not None:
            prefix = self.admin_code_of(within)
        cc = country_code.upper() if country_code else None
        fclass = feature_class.upper() if feature_class else None
        fcode = feature_code.upper() if feature_code else None

        def keep(place: Place) -> bool:
            if cc and place.country_code != cc:
                return False
            if fclass and place.feature_class != fclass:
                return False
            if fcode and place.feature_code != fcode:
                return False
            if prefix:
                code = place.admin_code
                return code == prefix or code.startswith(prefix + ".")
            return True

        return keep

    def admin_code_of(self, unit: str | int) -> str:
        """Turn an admin unit given as code or geonameid into its dotted code (``RU.25``)."""
        text = str(unit).strip()
        if text.isascii() and text.isdigit():  # not "²" or "٣", which isdigit() also takes
            place = self.get(int(text))
            return place.admin_code
        parts = text.split(".")
        return ".".join([parts[0].upper(), *parts[1:]])

    # -- the admin tree ---------------------------------------------------------------

    def admin_unit(self, code: str) -> Place | None:
        """The place row of an admin unit or country given its dotted code (``RU.25``)."""
        parts = code.split(".")
        if len(parts) == 1:
            row = self.db.execute("SELECT geonameid FROM countries WHERE iso = ?",
                                  (parts[0].upper(),)).fetchone()
        else:
            table = "admin1" if len(parts) == 2 else "admin2"
            row = self.db.execute(f"SELECT geonameid FROM {table} WHERE code = ?",
                                  (code,)).fetchone()
        return self.find(row[0]) if row and row[0] else None

    def children(self, unit: str | int, *, feature_class: str | None = None,
                 feature_code: str | None = None, limit: int | None = None) -> list[Place]:
        """Places inside an admin unit by their codes and the hierarchy, most populous first.

        ``unit`` is a dotted code (``"RU.25"``) or the unit's geonameid.
        """
        code = self.admin_code_of(unit)
        parts = code.split(".")
        where = ["country_code = ?", "admin1_code = ?", "admin2_code = ?"][: len(parts)]
        sql = "SELECT geonameid FROM places WHERE " + " AND ".join(where)
        gids = [g for (g,) in self.db.execute(sql, parts)]
        unit_place = self.admin_unit(code)
        if unit_place is not None:
            gids += [g for (g,) in self.db.execute(
                "SELECT child FROM hierarchy WHERE parent = ?", (unit_place.geonameid,))]
        places = self._places(gids)
        if unit_place is not None:
            places.pop(unit_place.geonameid, None)
        keep = self._filter(None, None, feature_class, feature_code)
        ordered = sorted((p for p in places.values() if keep(p)),
                         key=lambda p: (-p.population, p.geonameid))
        return ordered[:limit] if limit else ordered

    def parents(self, geonameid: int) -> list[Place]:
        """The chain of admin units above a place, nearest first (hierarchy, then codes)."""
        seen: list[int] = []
        current = int(geonameid)
        for _ in range(12):
            row = self.db.execute("SELECT parent FROM hierarchy WHERE child = ? AND "
                                  "(kind = 'ADM' OR kind = '') LIMIT 1", (current,)).fetchone()
            if not row or row[0] in seen:
                break
            seen.append(row[0])
            current = row[0]
        chain = [p for p in map(self.find, seen) if p is not None]
        if chain:
            return chain
        place = self.get(geonameid)
        codes = [place.country_code, place.admin1_code, place.admin2_code]
        units = [".".join(codes[:n]) for n in (3, 2, 1) if all(codes[:n])]
        return [u for u in map(self.admin_unit, units)
                if u is not None and u.geonameid != place.geonameid]
