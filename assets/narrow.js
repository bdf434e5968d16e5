/* Holocarbon: charts on phones (issue 13).

   The figure builders lay a chart out for a card of 480 px or more: the title, subtitle and the source footnote are
   drawn inside the SVG, where they cannot wrap, so on a 390 px screen they were cut off ("JRC CC") and a legend
   of four rows covered the title. Below NARROW px this script moves the title, subtitle and footnote of every
   plotly chart into HTML around it (where text wraps and a screen reader reads it), puts a top legend under the
   plot and sizes a world map to its width. At NARROW px or more the chart is put back as the server drew it.
   Exports are rendered on the server and never pass through here.

   The footnote is the annotation the figure builders put under the plot (xref and yref "paper", y <= 0, anchored
   at its top, see components/figures.py base_layout). Text is copied as text (plotly's <br> as line breaks, other
   tags dropped), never as HTML. */
(function () {
  var NARROW = 480;  // the figure builders lay a chart out for a half-width card of 480 px or more

  function plainLines(text) {
    if (!text) { return []; }
    return String(text).split(/<br\s*\/?>/i).map(function (line) {
      var div = document.createElement("div");
      div.innerHTML = line.replace(/<[^>]*>/g, "");  // tags dropped; entities decoded by the parser
      return (div.textContent || "").trim();
    }).filter(function (line) { return line.length > 0; });
  }

  function footnoteIndex(layout) {
    var anns = layout.annotations || [];
    for (var i = 0; i < anns.length; i++) {
      var a = anns[i];
      if (a && a.xref === "paper" && a.yref === "paper" && (a.y || 0) <= 0 && a.yanchor === "top" && a.visible !== false
          && a.showarrow === false) { return i; }
    }
    return -1;
  }

  function block(cls, lines, tag) {
    var el = document.createElement(tag || "div");
    el.className = cls;
    lines.forEach(function (line, k) {
      if (k) { el.appendChild(document.createElement("br")); }
      el.appendChild(document.createTextNode(line));
    });
    return el;
  }

  // the captions sit beside the graph's container (which may have a fixed height), never inside it
  function removeCaptions(host) {
    var prev = host.previousElementSibling, next = host.nextElementSibling;
    if (prev && prev.classList.contains("hc-narrow-head")) { prev.remove(); }
    if (next && next.classList.contains("hc-narrow-foot")) { next.remove(); }
  }

  function getPath(obj, path) {  // "title.text", "annotations[3].visible"
    var parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    for (var i = 0; i < parts.length; i++) {
      if (obj == null) { return undefined; }
      obj = obj[parts[i]];
    }
    return obj;
  }

  function titleText(t) { return t && typeof t === "object" ? t.text : t; }

  function narrow(gd) {
    // an adapted layout carries meta.hcNarrow (kept when Dash hands plotly a copy of it after a relayout); a new
    // figure from the server does not, and its captions replace the earlier ones
    var layout = gd.layout || {};
    var host = gd.parentElement;
    if (!host) { return; }
    var title = plainLines(titleText(layout.title));
    var subtitle = plainLines(layout.title && layout.title.subtitle ? layout.title.subtitle.text : "");
    var fi = footnoteIndex(layout);
    var foot = fi >= 0 ? plainLines(layout.annotations[fi].text) : [];
    if (layout.meta && layout.meta.hcNarrow) { return; }  // adapted already (or a copy of the adapted layout)
    if (!title.length && !foot.length) {  // a figure with nothing to move: no captions of an earlier one stay
      removeCaptions(host);
      gd._hcSaved = null;
      return;
    }
    var margin = layout.margin || {};
    var update = {"title.text": "", "title.subtitle.text": ""};
    var oldT = margin.t == null ? 80 : margin.t, oldB = margin.b == null ? 80 : margin.b;
    update["margin.t"] = Math.min(oldT, 24);
    if (fi >= 0) {
      update["annotations[" + fi + "].visible"] = false;
      var footPx = 48 + 14 * foot.length;  // what the footnote took under the plot
      update["margin.b"] = Math.max(40, oldB - footPx + 24);
    }
    var leg = layout.legend || {};
    if (layout.showlegend !== false && leg.orientation === "h" && (leg.y == null || leg.y >= 1)) {
      update["legend.y"] = -0.12; update["legend.yanchor"] = "top"; update["legend.x"] = 0;
      update["legend.xanchor"] = "left";
    }
    // a figure may say how it reads on a phone: layout.meta.narrow = {relayout key: value} (e.g. region codes for
    // long axis labels, a smaller left margin); applied here, restored above the breakpoint like the rest
    var own = layout.meta && layout.meta.narrow;
    if (own && typeof own === "object") {
      Object.keys(own).forEach(function (k) { if (k !== "height") { update[k] = own[k]; } });
    }
    var saved = {};
    Object.keys(update).forEach(function (k) {
      var v = getPath(layout, k);
      saved[k] = v === undefined ? null : v;  // null: back to plotly's default
    });
    saved["title.text"] = titleText(layout.title) || "";
    update.meta = Object.assign({}, layout.meta || {}, {hcNarrow: true});  // the summary stays with the figure
    saved.meta = layout.meta === undefined ? null : layout.meta;
    gd._hcSaved = saved;
    removeCaptions(host);
    var head = document.createElement("div");
    head.className = "hc-narrow-head";
    if (title.length) { head.appendChild(block("hc-narrow-title", title, "p")); }
    if (subtitle.length) { head.appendChild(block("hc-narrow-subtitle", subtitle, "p")); }
    var outer = host.parentElement;
    if (!outer) { return; }
    outer.insertBefore(head, host);
    // the footnote's line breaks were set for the SVG's width: here it flows
    if (foot.length) { outer.insertBefore(block("hc-narrow-foot", [foot.join(" ")], "p"), host.nextSibling); }
    if (own && own.height) {  // a taller chart on a phone (e.g. a Sankey whose names need the room)
      saved.height = layout.height == null ? null : layout.height;
      update.height = own.height;
      gd._hcHost = {height: host.style.height};
      host.style.height = own.height + "px";
    } else if (layout.geo && (gd.data || []).some(function (t) { return t.type === "choropleth"; })) {
      // a world map: as tall as the map is at this width (Dash sizes the container from the figure's height)
      var h = Math.round((gd.clientWidth || 360) * 0.5 + 110);
      saved.height = layout.height == null ? null : layout.height;
      update.height = h;
      gd._hcHost = {height: host.style.height};
      host.style.height = h + "px";
    }
    // and how its traces read narrow: layout.meta.narrowTraces = {trace attribute: value} for every trace (e.g. no
    // numbers inside the cells of a heatmap too small to hold them); the old values are restored when wide
    var traces = layout.meta && layout.meta.narrowTraces;
    if (traces && typeof traces === "object" && (gd.data || []).length) {
      var before = {};
      Object.keys(traces).forEach(function (k) {
        before[k] = gd.data.map(function (t) { var v = getPath(t, k); return v === undefined ? null : v; });
      });
      gd._hcSavedTraces = before;
      Plotly.restyle(gd, traces);
    }
    Plotly.relayout(gd, update);
  }

  function wide(gd) {
    if (!gd._hcSaved) { return; }
    var host = gd.parentElement;
    if (host) { removeCaptions(host); }
    var saved = gd._hcSaved;
    gd._hcSaved = null;
    if (gd._hcHost && host) { host.style.height = gd._hcHost.height; }
    gd._hcHost = null;
    if (gd._hcSavedTraces) { Plotly.restyle(gd, gd._hcSavedTraces); gd._hcSavedTraces = null; }
    Plotly.relayout(gd, saved);
  }

  // the server's picture of a first chart (components/prerender.py) gives way once the live chart shows something
  function live(gd) {
    var box = gd.closest(".hc-chart");
    if (box && box.classList.contains("hc-map") && !box.__hcLater) {  /* atlas.js marks it; at the latest: */
      box.__hcLater = window.setTimeout(function () { box.classList.add("hc-live"); }, 8000);
    }
    if (box && !box.classList.contains("hc-map") && ((gd.data && gd.data.length) || (gd.layout.annotations && gd.layout.annotations.length))) {
      box.classList.add("hc-live");
    }
  }

  function adapt(gd) {
    if (!window.Plotly || !gd || !gd.layout || !gd.isConnected) { return; }
    live(gd);
    if (gd.clientWidth && gd.clientWidth < NARROW) { narrow(gd); } else { wide(gd); }
  }

  function watch(gd) {
    if (gd._hcWatched || typeof gd.on !== "function") { return; }
    gd._hcWatched = true;
    gd.on("plotly_afterplot", function () {
      window.requestAnimationFrame(function () { adapt(gd); });
    });
    adapt(gd);
  }

  function scan() {
    Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot")).forEach(watch);
  }

  // the phone drawer of the shared controls (components/controls.py): its button opens and closes it
  document.addEventListener("click", function (ev) {
    var btn = ev.target && ev.target.closest ? ev.target.closest(".controls-toggle") : null;
    if (!btn) { return; }
    var panel = document.getElementById(btn.getAttribute("aria-controls"));
    if (!panel) { return; }
    var open = !panel.classList.contains("open");
    panel.classList.toggle("open", open);
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  });

  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; scan(); });
  }).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener("resize", function () {
    Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot")).forEach(adapt);
  });
})();
