// The app's map, drawn in the page itself (a Streamlit v2 component, no iframe).
//
// Python sends a folium map rendered once per layer version (its script's file and
// the Leaflet files it needs) and, per rerun, the small feature groups that change
// with the user's choice and where to look. The map is built once per script
// and kept across reruns (pan, zoom and drawings survive); clicks and drawings
// go back as one state value, at once, and none while the user is measuring.

const loading = {};
const TAPPED_NAME_MS = 1500;  // how long a tapped feature's name shows on a touch screen
const SETTLE_MS = 2000, SETTLE_STEP_MS = 100;  // how long, and how often, a new map's place is looked at again

/** Load a script or stylesheet once per page (scripts in order: each waits for the previous). */
function load(tag, url) {
  if (!loading[url] && window.__wcPremap && window.__wcPremap.links.includes(url)) {
    loading[url] = Promise.resolve();  // the page shell loaded it for the pre-drawn map (layers/maps/premap.py)
  }
  if (!loading[url]) {
    loading[url] = new Promise((resolve, reject) => {
      const el = document.createElement(tag);
      if (tag === "script") {
        el.src = url;
        el.async = false;
      } else {
        el.rel = "stylesheet";
        el.href = url;
      }
      el.onload = resolve;
      el.onerror = () => reject(new Error("无法加载地图文件 " + url));
      document.head.appendChild(el);
    });
  }
  return loading[url];
}

function loadAll(data) {
  data.css_links.forEach((url) => load("link", url).catch(() => {}));
  // Leaflet, then the map's own file (layers/maps/script.map_file), which needs it.
  return [...data.js_links, data.script_url].reduce((done, url) => done.then(() => load("script", url)),
    Promise.resolve());
}

const plain = (latlng) => (latlng ? { lat: latlng.lat, lng: latlng.lng } : null);

// Where the user last looked at each place on the page ({center: [lat, lng] in WGS-84, zoom, asked: the
// view Python had asked for then}). A new base map there (another basemap, another layer version) opens
// at that view instead of the whole district: people switch to satellite to look closely at one spot.
const lastViews = {};

/** A point of ``map`` in WGS-84: 高德 maps are in GCJ-02, which lies a near-constant offset away here. */
function toWgs(map, latlng) {
  const o = map.options.datum === "gcj02" && map.options.gcjOffset;
  return o ? [latlng.lat - o[0], latlng.lng - o[1]] : [latlng.lat, latlng.lng];
}

function fromWgs(map, [lat, lng]) {
  const o = map.options.datum === "gcj02" && map.options.gcjOffset;
  return o ? [lat + o[0], lng + o[1]] : [lat, lng];
}

const asked = (data) => JSON.stringify([data.center, data.zoom]);

/** Send what the user did, if the page asked for it and it changed. */
function send(inst, force) {
  if (!inst.returned.length || (!force && (inst.drawing || Date.now() < inst.quietUntil))) {
    return;
  }
  const all = {
    last_clicked: inst.lastClicked, last_object_clicked: inst.lastObjectClicked,
    last_active_drawing: inst.lastActive, all_drawings: inst.allDrawings,
  };
  const value = {};
  inst.returned.forEach((k) => { value[k] = all[k] === undefined ? null : all[k]; });
  const text = JSON.stringify(value);
  if (text !== inst.sent) {
    inst.sent = text;
    inst.setStateValue("interaction", value);
  }
}

function listen(inst) {
  const map = inst.map;
  const later = () => setTimeout(() => send(inst, false), 0); // after the layer's and the map's handlers
  const quiet = () => { inst.drawing = false; inst.quietUntil = Date.now() + 500; };
  map.on("draw:drawstart draw:deletestart draw:editstart", () => { inst.drawing = true; });
  map.on("draw:drawstop draw:deletestop draw:editstop", quiet);
  map.on("click", (e) => {
    if (inst.drawing || Date.now() < inst.quietUntil) { return; } // a measuring click is not a point query
    inst.lastClicked = plain(e.latlng);
    later();
  });
  const onFeatureClick = (e) => {
    if (inst.drawing || Date.now() < inst.quietUntil) { return; }
    const layer = e.propagatedFrom || e.sourceTarget || e.layer;
    if (layer && layer.feature && layer.toGeoJSON) {
      inst.lastActive = layer.toGeoJSON();
      inst.lastObjectClicked = plain(e.latlng);
      later();
    }
  };
  const attach = (layer) => {
    if (layer && layer.feature && !layer._wcClick) {
      layer._wcClick = true;
      layer.on("click", onFeatureClick);
    }
  };
  map.eachLayer(attach);
  map.on("layeradd", (e) => attach(e.layer));
  // A finger cannot hover away: a tapped feature's name stayed up, often cut off at the map's edge,
  // until the next tap. It now shows briefly; the details beside the map say the rest.
  if (window.matchMedia && window.matchMedia("(hover: none)").matches) {
    map.on("tooltipopen", (e) => {
      if (e.tooltip.options.permanent) { return; }  // the edges' side labels stay
      clearTimeout(inst.tooltipTimer);
      inst.tooltipTimer = setTimeout(() => map.closeTooltip(e.tooltip), TAPPED_NAME_MS);
    });
  }
  map.on("draw:created draw:edited draw:deleted", (e) => {
    if (e.layer && e.layer.toGeoJSON) { inst.lastActive = e.layer.toGeoJSON(); }
    inst.allDrawings = inst.drawn && inst.drawn.toGeoJSON ? inst.drawn.toGeoJSON().features : [];
    send(inst, true);
  });
}

/** Replace the feature groups of the previous run with this run's. */
function showGroups(inst, text) {
  if (text === inst.groupsText) { return; }
  inst.groupsText = text;
  inst.groups.forEach((g) => inst.map.removeLayer(g));
  const scope = { feature_group: [] };
  if (text) {
    // The groups' script adds each group to "map_div" and lists it in window.feature_group.
    new Function("map_div", "window", text)(inst.map, scope);
  }
  inst.groups = scope.feature_group;
}

function showView(inst, data) {
  const view = asked(data);
  if (view === inst.view) { return; }
  inst.view = view;
  if (data.center) {
    inst.map.setView(data.center, data.zoom == null ? inst.map.getZoom() : data.zoom);
  } else if (data.zoom != null) {
    inst.map.setZoom(data.zoom);
  }
}

/**
 * The map the page shell drew before Streamlit started (layers/maps/premap.py), moved into ``host`` when it
 * is this map; else null, and a pre-drawn map of another one goes.
 */
function takePremap(host, data) {
  const pre = window.__wcPremap;
  if (!pre || pre.taken) { return null; }
  pre.taken = true;
  if (pre.hash !== data.js_hash) {
    pre.overlay.remove();
    pre.map.remove();
    return null;
  }
  const map = pre.map;
  const untouched = map.getZoom() === pre.view.zoom && map.getCenter().equals(pre.view.center);
  pre.box = boxOf(pre.overlay);
  host.innerHTML = "";
  host.appendChild(pre.canvas);
  pre.overlay.remove();
  map.invalidateSize({ pan: false });
  map.wcUntouched = untouched;
  return [map, pre.drawn];
}

/** Draw the map in ``host``, with its file's function (loaded by loadAll). */
function draw(host, data) {
  host.innerHTML = '<div class="wc-map-canvas"></div>';
  const drawMap = window.wcMapScripts && window.wcMapScripts[data.js_hash];
  if (!drawMap) { throw new Error("地图文件不完整"); }
  return drawMap(host.firstChild);
}

/** An element's place and size on screen, as [left, top, width, height]. */
function boxOf(element) {
  const r = element.getBoundingClientRect();
  return [r.left, r.top, r.width, r.height];
}

/**
 * Keep the district fitted to the map's box until the visitor or the page moves the map.
 *
 * The map is fitted when it is drawn, but its box may still change while Streamlit lays the page out,
 * and the box of a pre-drawn map was a guess: a map drawn in a box 20 px off stayed off by that much.
 */
function keepFitted(map, fittedIn) {
  if (!map.wcFit) { return () => map.invalidateSize(); }
  let fitted = map.wcUntouched !== false, fitting = false, box = fittedIn;
  map.on("movestart zoomstart", () => { if (!fitting) { fitted = false; } });
  const resized = () => {
    if (!map.getContainer().isConnected) { return; }  // a map replaced meanwhile (another basemap)
    if (!fitted) {
      map.invalidateSize();  // keeps the centre the visitor chose
      return;
    }
    const now = boxOf(map.getContainer());
    if (box && now.every((v, i) => Math.abs(v - box[i]) < 0.5)) { return; }  // fitted there already
    box = now;
    fitting = true;
    map.invalidateSize({ pan: false });
    map.wcFit();
    fitting = false;
  };
  resized();
  // Streamlit may still move the box without resizing it (which no ResizeObserver reports) while it lays
  // the page out: look again for a short while.
  for (let ms = SETTLE_STEP_MS; ms <= SETTLE_MS; ms += SETTLE_STEP_MS) { setTimeout(resized, ms); }
  return resized;
}

function build(host, data, setStateValue) {
  const taken = takePremap(host, data);
  const [map, drawn] = taken || draw(host, data);
  // A drawn map was fitted in its box just now; a taken one in the box the shell guessed.
  const resized = keepFitted(map, taken ? window.__wcPremap.box : boxOf(map.getContainer()));
  const inst = {
    map, drawn: drawn && drawn.toGeoJSON ? drawn : null, setStateValue, returned: data.returned || [],
    drawing: false, quietUntil: 0, groups: [], groupsText: null, view: null, sent: null,
    lastClicked: null, lastObjectClicked: null, lastActive: null, allDrawings: null,
  };
  listen(inst);
  // Leaflet notices only the window's resizing: opening Streamlit's sidebar narrowed the map's box while
  // the map kept its old size (blank strips, a wrong centre, controls laid out for the wider box).
  // A tooltip opens towards the map's wider half ("auto"): half the map's width is what it may take, or
  // a long one (a point with three projects) ran past the map's edge and was cut mid-word.
  const fitTooltips = () => host.style.setProperty("--wc-tooltip-max", `${Math.max(160, host.clientWidth / 2 - 30)}px`);
  fitTooltips();
  if (window.ResizeObserver) {
    inst.resizeWatcher = new ResizeObserver(() => { resized(); fitTooltips(); });
    inst.resizeWatcher.observe(host);
  }
  host.leafletMap = map; // for tests and the browser console: this element's map
  window.map = map; // and the most recent one
  return inst;
}

export default function ({ parentElement, data, setStateValue }) {
  const host = parentElement.querySelector(".wc-map");
  const token = {};
  host._wcToken = token;
  loadAll(data).then(() => {
    if (host._wcToken !== token) { return; } // a newer run has taken over
    if (!host._wc || host._wc.hash !== data.js_hash) {
      if (host._wc) {
        if (host._wc.resizeWatcher) { host._wc.resizeWatcher.disconnect(); }
        host._wc.map.remove();
      }
      const before = data.place && lastViews[data.place];
      host._wc = build(host, data, setStateValue);
      host._wc.hash = data.js_hash;
      const map = host._wc.map;
      if (before && before.asked === asked(data)) {  // Python asks nothing new: back to the user's view
        map.setView(fromWgs(map, before.center), before.zoom, { animate: false });
        host._wc.view = before.asked;
      }
      if (data.place) {
        const inst = host._wc;
        map.on("moveend", () => {
          lastViews[data.place] = { center: toWgs(map, map.getCenter()), zoom: map.getZoom(), asked: inst.view };
        });
      }
    }
    const inst = host._wc;
    inst.setStateValue = setStateValue;
    inst.returned = data.returned || [];
    showGroups(inst, data.feature_group || "");
    showView(inst, data);
  }).catch((err) => {
    host.innerHTML = '<div class="wc-map-error"></div>';
    host.firstChild.textContent = err.message + "。请刷新页面；若仍不行，请联系管理员。";
  });
}
