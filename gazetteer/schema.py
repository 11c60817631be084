"""The SQLite layout of a gazetteer index, and its version."""

from __future__ import annotations

SCHEMA_VERSION = 3  # 3: keys drop invisible format characters; ISO3 codes are capitals-only

# Bits of names.kind: how a lookup key relates to the place's names.
NAME = 1          # the official name or ascii name, folded
ALTERNATE = 2     # an alternate name
LOOSE = 4         # a transliteration-merged variant (loose_key)
STRIPPED = 8      # the designator ("Oblast", "Rayon") was removed
HISTORIC = 16     # the alternate name is marked historic
PREFERRED = 32    # the alternate name is marked preferred or short
NEWS = 64         # an English news alias this project wrote, with no full stop ("UAE")
CAPS = 128        # a code only a query in capitals reaches: "OK", not "Ok" or "I'd"

SHORT_KEY = 3  # letters: a key this short is stored and looked up only as spelt ("WA", "VA")

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE sources (file TEXT, kind TEXT, rows INTEGER, bytes INTEGER, modified TEXT);
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, asciiname TEXT, lat REAL, lon REAL,
    feature_class TEXT, feature_code TEXT, country_code TEXT, admin1_code TEXT,
    admin2_code TEXT, admin3_code TEXT, admin4_code TEXT, population INTEGER,
    timezone TEXT, modified TEXT);
CREATE TABLE names (key TEXT NOT NULL, geonameid INTEGER NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE skeletons (skel TEXT NOT NULL, geonameid INTEGER NOT NULL);
CREATE TABLE admin1 (code TEXT PRIMARY KEY, name TEXT, asciiname TEXT, geonameid INTEGER);
CREATE TABLE admin2 (code TEXT PRIMARY KEY, name TEXT, asciiname TEXT, geonameid INTEGER);
CREATE TABLE countries (
    iso TEXT PRIMARY KEY, iso3 TEXT, name TEXT, capital TEXT, population INTEGER,
    continent TEXT, geonameid INTEGER, neighbours TEXT);
CREATE TABLE hierarchy (parent INTEGER NOT NULL, child INTEGER NOT NULL, kind TEXT);
CREATE TABLE feature_codes (
    feature_class TEXT, feature_code TEXT, name TEXT, description TEXT,
    PRIMARY KEY (feature_class, feature_code));
CREATE TABLE shapes (
    kind TEXT NOT NULL, code TEXT NOT NULL, name TEXT, minx REAL, miny REAL, maxx REAL,
    maxy REAL, wkb BLOB, PRIMARY KEY (kind, code));
CREATE TABLE coordinate_sources (geonameid INTEGER PRIMARY KEY, source TEXT);
-- admin units whose row gives no population: the sum over their populated places
CREATE TABLE unit_sizes (geonameid INTEGER PRIMARY KEY, population INTEGER);
"""

# How large an admin unit without a population is: the people of its populated places
# (not its neighbourhoods, which its towns already count, nor abandoned or historic ones).
# Run once the indexes exist (each unit looks up its places by code).
UNIT_SIZES = """
INSERT INTO unit_sizes
SELECT u.geonameid, (SELECT sum(p.population) FROM places p
                     WHERE p.country_code = u.country_code AND p.admin1_code = u.admin1_code
                       AND (u.feature_code = 'ADM1' OR p.admin2_code = u.admin2_code)
                       AND p.feature_class = 'P'
                       AND p.feature_code NOT IN ('PPLX', 'PPLQ', 'PPLH', 'PPLW'))
FROM places u
WHERE u.feature_code IN ('ADM1', 'ADM2') AND coalesce(u.population, 0) = 0
  AND coalesce(u.admin1_code, '') NOT IN ('', '00')
  AND (u.feature_code = 'ADM1' OR coalesce(u.admin2_code, '') != '');
DELETE FROM unit_sizes WHERE coalesce(population, 0) = 0;
"""

# Created after the bulk load: building an index once is much faster than keeping it.
INDEXES = """
CREATE INDEX names_key ON names (key, geonameid);
CREATE INDEX skeletons_skel ON skeletons (skel);
CREATE INDEX places_admin ON places (country_code, admin1_code, admin2_code);
CREATE INDEX places_lat ON places (lat, lon);
CREATE INDEX hierarchy_child ON hierarchy (child);
CREATE INDEX hierarchy_parent ON hierarchy (parent);
"""
