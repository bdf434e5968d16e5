/* Holocarbon: export links, "add to briefing" and "copy link" (no external requests, no server state). */
(function () {
  function pathParam() {
    var m = window.location.pathname.match(/^\/(country|sector)\/([^\/?#]+)/);
    return m ? "code=" + encodeURIComponent(decodeURIComponent(m[2])) : "";
  }
  function currentQuery() {
    var q = window.location.search.replace(/^\?/, "");
    var parts = q ? q.split("&").filter(function (p) {
      return !/^(layer|sector|view)=/.test(p);
    }) : [];
    var code = pathParam();
    if (code) { parts.push(code); }
    return parts.join("&");
  }
  function briefing() {
    try { return JSON.parse(window.localStorage.getItem("hc-briefing") || "null") || {title: "", intro: "", items: []}; }
    catch (e) { return {title: "", intro: "", items: []}; }
  }
  document.addEventListener("click", function (ev) {
    var m = ev.target.closest && ev.target.closest("a.export-map");
    if (m) {  /* atlas snapshot: every parameter of the view, including layer, sector and the map window */
      m.href = "/export/map." + m.dataset.fmt + window.location.search;
      return;
    }
    var a = ev.target.closest && ev.target.closest("a.export-link");
    if (a) {
      var q = currentQuery();
      a.href = "/export/" + a.dataset.chart + "." + a.dataset.fmt + (q ? "?" + q : "");
      return;
    }
    var b = ev.target.closest && ev.target.closest("button.briefing-add");
    if (b) {
      var data = briefing();
      data.items = data.items || [];
      data.items.push({chart: b.dataset.chart, title: b.dataset.title, query: currentQuery(), note: ""});
      window.localStorage.setItem("hc-briefing", JSON.stringify(data));
      b.textContent = "✓ Added (" + data.items.length + " in briefing)";
      return;
    }
    var s = ev.target.closest && ev.target.closest("#share-link");
    if (s) {
      var done = function () { s.textContent = "Link copied"; setTimeout(function () { s.textContent = "Copy link"; }, 2000); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(window.location.href).then(done, function () { window.prompt("Copy this link:", window.location.href); });
      } else {
        window.prompt("Copy this link:", window.location.href);
      }
    }
  });
})();
