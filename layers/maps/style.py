"""The stylesheet of the maps drawn in the page (``pages/map_widget.py``, and the shell's pre-drawn map)."""

#: The map takes the window's height less the page header, with a floor for small windows; narrower
#: page margins give it width. The styles folium would put in its own page's head are here too.
MAP_CSS = """
.wc-map { height: max(460px, calc(100vh - 190px)); width: 100%; position: relative; }
.wc-map-canvas { position: absolute; inset: 0; }
.wc-map .leaflet-container { font-size: 1rem; }
.wc-map .leaflet-interactive:focus { outline: none; }  /* no black box round a clicked area */
.wc-map-error { padding: 1rem; color: #b42318; }
/* Leaflet keeps a tooltip on one line: a long imported name made one 32,000 px wide. */
.wc-map .leaflet-tooltip:not(.leaflet-tooltip-permanent) { white-space: normal; width: max-content;
  max-width: min(420px, var(--wc-tooltip-max, 40vw)); overflow-wrap: anywhere; }
/* On a narrow map (a tablet) the one-line credits ran over the scale bar at the lower left. */
.wc-map .leaflet-control-attribution { white-space: normal; max-width: 60%; }
/* Fingers (a tablet): Leaflet's 30 px zoom buttons and the legend's title line were too small to hit.
   (Leaflet.draw's buttons keep their size: their icons are cut from one sprite at 30 px.) */
@media (pointer: coarse) {
  .wc-map .leaflet-touch .leaflet-control-zoom a { width: 44px; height: 44px; line-height: 44px; }
  .wc-map .leaflet-control-layers-toggle { width: 44px; height: 44px; }
  .wc-map .leaflet-control details > summary { padding: 10px 6px; }
}
.foliumtooltip table { margin: auto; }
.foliumtooltip tr { text-align: left; }
.foliumtooltip th { padding: 2px; padding-right: 8px; }
[data-testid="stMainBlockContainer"] { padding-left: 1.5rem; padding-right: 1.5rem; }
"""
