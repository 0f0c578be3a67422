"""Command entry point kept for ``python -m layers.osm_import``; the code lives in
:mod:`layers.geometry.osm`."""

from layers.geometry.osm import main

if __name__ == "__main__":
    raise SystemExit(main())
