"""Maps stage: what users look at and take away.

- :mod:`~layers.maps.views`: folium maps (:func:`base_map`, :func:`projects_map`, :func:`parks_map`);
  :mod:`~layers.maps.legend`, :mod:`~layers.maps.basemaps` (GCJ-02 shift for 高德),
  :mod:`~layers.maps.assets` (Leaflet served locally), :mod:`~layers.maps.measure`;
- :mod:`~layers.maps.status_map`, :mod:`~layers.maps.review_views`: projects by status, review outlines;
- :mod:`~layers.maps.exports`: GeoJSON/KML/GPKG/CSV (:func:`export_layer`, formula-safe cells);
- :mod:`~layers.maps.print`: :func:`print_map` (A4/A3 PDF, 300-dpi PNG);
- :mod:`~layers.maps.pitch`: :func:`pitch_pack` (bilingual park PDF);
  :mod:`~layers.maps.profile`: one-page park profile (HTML/PNG).
"""
