"""Geometry stage: gazetteer lines → polygons and checks (EPSG:4549 for measuring).

Modules, in the order the data flows:

- ``gazetteer``: the named boundary features (OSM lines, district borders, approximate lines);
- ``osm_read`` → ``names`` → ``conflate`` → ``centreline``: the OpenStreetMap import
  (``osm`` is its command, ``python -m layers.osm_import``);
- ``polygons``: one area from its 四至; ``assemble``: every area, all failures together;
- ``checks``, ``plausibility``, ``coverage``: what the report says about the areas;
- ``crs``, ``gcj02``, ``geojson_io``: coordinates and files.
"""
