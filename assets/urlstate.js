/* Holocarbon: the address bar follows each page's controls without a reload (every view is a shareable link).

   One clientside function for every page, registered from Python by components/urlstate.py (url_sync):
   window.dash_clientside.holocarbon.syncUrl(state, view).

   state (a page's URL-state store, built by components.urlstate.url_state) says where the query string goes:
     {path: "/trade", qs: "..."}    only when the pathname is exactly path (a late answer for another page or
                                    another sector code never rewrites the address); the address is path?qs
     {prefix: "/ledger", qs: "..."} only when the pathname starts with prefix; the address is pathname?qs
     {qs: "..."}                    on any page; the address is pathname?qs
   view (optional, the atlas): {lat, lon, zoom} appended as view=lat,lon,zoom (3, 3 and 2 decimals).
   An empty qs leaves the bare path. Nothing is returned: the callback has no outputs. */
(function () {
  function syncUrl(state, view) {
    if (!state || typeof state !== "object") { return; }
    var here = window.location.pathname;
    if (typeof state.path === "string" && here !== state.path) { return; }
    if (typeof state.prefix === "string" && here.indexOf(state.prefix) !== 0) { return; }
    var qs = state.qs || "";
    if (view) {
      qs += (qs ? "&" : "") + "view=" + [view.lat.toFixed(3), view.lon.toFixed(3), view.zoom.toFixed(2)].join(",");
    }
    window.history.replaceState(null, "", here + (qs ? "?" + qs : ""));
  }

  /* merge: keep Dash's own members (no_update, set_props, callback_context) and any other namespace */
  var dc = window.dash_clientside = window.dash_clientside || {};
  dc.holocarbon = dc.holocarbon || {};
  dc.holocarbon.syncUrl = syncUrl;
})();
