/* Holocarbon Atlas: the map's tile sources follow the controls in the browser (no figure round trip).

   Registered from pages/atlas.py as window.dash_clientside.atlas.{tiles, apply, badge}:
   tiles(layer, sector, gases, gwp, year, names, consumer, variant, info) -> [{url, labels}, message]
       The tile URL of the layer with only the choices it depends on (info.layers[layer].uses; defaults omitted,
       then the layer's own parameters, info.layers[layer].params: the footprint's consumer, always, and its
       variant when not "all"; the same URL as the server's first figure, pages/atlas.py _tile_params), and the
       label overlay's URL. A year the layer does not cover
       gives url null and the sentence shown over the empty map: never another layer's map under this one's name.
   apply(data, info)
       Swaps the sources of the live MapLibre map. A change after a quiet moment applies at once; the changes
       that follow it within DEBOUNCE_MS of each other (arrow keys held on the year) are coalesced: only the last
       one fetches tiles, not every year in between. On the first call it caps the zoom (info.max_zoom), fits the
       whole world to the map's width when the link gave no view, sends clicks to the atlas-click store and the
       view after a pan or zoom by the user to the atlas-view store (the shareable link).
   badge(year, intervalDisabled) -> [text, className]: the year on the map, large while playing.

   State lives on DOM elements of the page (the overlay: timer, pending change; the plot: its map), never in
   globals. */
(function () {
  var GASES = ["CO2", "CH4", "N2O", "F-gases"];
  var DEBOUNCE_MS = 400;  /* a held key repeats every 30-50 ms; a slow machine can take 300 ms to pass one on */

  function tiles(layer, sector, gases, gwp, year, names, consumer, variant, info) {
    var L = (info && info.layers && info.layers[layer]) || {years: [1970, 2023], uses: ["year"], no_map: layer};
    var origin = window.location.origin;
    var labels = origin + "/tiles/labels/{z}/{x}/{y}.png" + ((names || []).length ? "" : "?names=0");
    if (year < L.years[0] || year > L.years[1]) {
      return [{url: null, labels: labels},
              L.no_map + " covers " + L.years[0] + "\u2013" + L.years[1] + "; no map for " + year +
              ". Choose a year in its range, or another layer."];
    }
    var uses = L.uses || [];
    var g = GASES.filter(function (x) { return (gases || []).indexOf(x) >= 0; });
    if (uses.indexOf("gases") >= 0 && !g.length) {
      var nu = window.dash_clientside.no_update;
      return [nu, nu];
    }
    var p = ["year=" + year];
    if (uses.indexOf("gwp") >= 0 && gwp && gwp !== "AR5") { p.push("gwp=" + encodeURIComponent(gwp)); }
    if (uses.indexOf("gases") >= 0 && g.length !== GASES.length) { p.push("gases=" + g.join(",")); }
    if (uses.indexOf("sector") >= 0 && sector && sector !== "all") {
      p.push("sector=" + encodeURIComponent(sector));
    }
    if ((L.params || []).indexOf("consumer") >= 0) {
      p.push("consumer=" + encodeURIComponent(String(consumer || "DEU").toUpperCase()));
      if (variant && variant !== "all") { p.push("variant=" + encodeURIComponent(variant)); }
    }
    return [{url: origin + "/tiles/" + layer + "/{z}/{x}/{y}.png?" + p.join("&"), labels: labels}, ""];
  }

  function rasters(m) {
    var out = {data: null, labels: null};
    (m.getStyle().layers || []).forEach(function (l) {
      if (l.type !== "raster") { return; }
      var src = m.getSource(l.source);
      var t = (src && src.tiles && src.tiles[0]) || "";
      out[t.indexOf("/tiles/labels/") >= 0 ? "labels" : "data"] = {id: l.id, src: src};
    });
    return out;
  }

  function setLayer(gd, i, key, value) {
    [gd.layout, gd._fullLayout].forEach(function (lay) {
      if (lay && lay.map && lay.map.layers && lay.map.layers[i]) { lay.map.layers[i][key] = value; }
    });
  }

  function init(gd, host, m, info) {
    m.setMaxZoom(info.max_zoom);
    if (info.fit_world) {  /* the whole world across the map's width (MapLibre: 512 px world at zoom 0) */
      var z = Math.max(-1, Math.log2(host.clientWidth / 512) - 0.02);
      gd.__hcProgrammatic = true;
      m.jumpTo({zoom: z});
      gd.__hcProgrammatic = false;
      [gd.layout, gd._fullLayout].forEach(function (lay) {  /* so that a later redraw by plotly keeps it */
        if (lay && lay.map) { lay.map.zoom = m.getZoom(); }
      });
    }
    /* the world picture under the map (components/prerender.py) gives way once the tiles are drawn (narrow.js
       removes it after 8 s at the latest, should the map never be idle) */
    var box = host.closest ? host.closest(".hc-map") : null;
    if (box) { m.once("idle", function () { box.classList.add("hc-live"); }); }
    m.on("click", function (e) {
      window.dash_clientside.set_props("atlas-click", {data: {lat: e.lngLat.lat, lon: e.lngLat.lng, t: Date.now()}});
    });
    m.on("moveend", function () {
      if (gd.__hcProgrammatic) { return; }
      var c = m.getCenter();
      window.dash_clientside.set_props("atlas-view", {data: {lat: c.lat, lon: c.lng, zoom: m.getZoom()}});
    });
  }

  function applyNow(data, info, anchor) {
    var tries = 0;
    function go() {
      if (anchor.__hcPending !== data) { return; }  /* a newer change took over */
      var host = document.getElementById("atlas-map");  /* Dash replaces its placeholder when plotly has loaded */
      var gd = host && host.querySelector(".js-plotly-plot");
      var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      if (!sub || !sub.map || !window.Plotly || !sub.map.isStyleLoaded()) {
        if (tries++ < 150) { setTimeout(go, 100); }
        return;
      }
      var m = sub.map;
      var first = (gd.layout.map.layers || [])[0];
      if (first && first.visible !== false && !rasters(m).data) {
        /* plotly has not added the figure's tile layer to the map yet: wait for it (adding it here as well made
           the map fetch the world's tiles twice at start-up) */
        if (tries++ < 150) { setTimeout(go, 100); }
        return;
      }
      if (gd.__hcMap !== m) { gd.__hcMap = m; init(gd, host, m, info); }
      anchor.__hcPending = null;
      var r = rasters(m);
      var layers = gd.layout.map.layers;
      if (data.url === null) {
        if (r.data) { m.setLayoutProperty(r.data.id, "visibility", "none"); }
        setLayer(gd, 0, "visible", false);
      } else if (!r.data) {  /* the page opened on a year the layer does not cover: add the data layer now */
        gd.__hcProgrammatic = true;  /* not a move by the user: the link keeps no view for it */
        window.Plotly.relayout(gd, {"map.layers[0].visible": true, "map.layers[0].source": [data.url]})
          .then(function () {
            gd.__hcProgrammatic = false;
            var r2 = rasters(m);
            if (r2.data && r2.labels) { m.moveLayer(r2.data.id, r2.labels.id); }  /* names stay on top */
          }, function () { gd.__hcProgrammatic = false; });
      } else {
        if (layers[0].source[0] !== data.url) {  /* swap the live source: no layer teardown, no fade-in */
          setLayer(gd, 0, "source", [data.url]);
          m.setPaintProperty(r.data.id, "raster-fade-duration", 0);
          r.data.src.setTiles([data.url]);
        }
        if (layers[0].visible === false || m.getLayoutProperty(r.data.id, "visibility") === "none") {
          m.setLayoutProperty(r.data.id, "visibility", "visible");
          setLayer(gd, 0, "visible", true);
        }
      }
      if (r.labels && layers[1] && layers[1].source[0] !== data.labels) {
        setLayer(gd, 1, "source", [data.labels]);
        r.labels.src.setTiles([data.labels]);
      }
    }
    go();
  }

  function apply(data, info) {
    if (!data || !info) { return; }
    var anchor = document.getElementById("atlas-overlay");  /* a plain element of the page: holds the state */
    if (!anchor) { return; }
    anchor.__hcPending = data;
    if (anchor.__hcTimer) {  /* inside a burst (arrow keys on the year): only its last change will fetch */
      clearTimeout(anchor.__hcTimer);
      anchor.__hcLate = true;
    } else {  /* a change after a quiet moment: at once */
      anchor.__hcLate = false;
      applyNow(data, info, anchor);
    }
    anchor.__hcTimer = setTimeout(function () {
      anchor.__hcTimer = null;
      if (anchor.__hcLate) { anchor.__hcLate = false; applyNow(anchor.__hcPending, info, anchor); }
    }, DEBOUNCE_MS);
  }

  function badge(year, intervalDisabled) {
    return [String(year), "atlas-year-badge" + (intervalDisabled === false ? " playing" : "")];
  }

  var dc = window.dash_clientside = window.dash_clientside || {};
  dc.atlas = {tiles: tiles, apply: apply, badge: badge};
})();
