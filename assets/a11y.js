/* Holocarbon: accessibility of the drawn charts and of Dash's own widgets (issue 13).

   1. Charts. Every figure carries a short text summary in layout.meta.summary (components/figures.py,
      figure_summary: what is plotted and its notable values, written on the server from the figure's own data). Here
      it becomes a visually hidden paragraph at the top of the chart, updated whenever plotly redraws, and the drawn
      SVG (tick labels, legend and title as loose text) is hidden from screen readers in its favour.
   2. Names and roles of Dash 4 widgets, which take no aria-* properties: a page's <label for="x"> names what Dash
      draws inside #x (the radio/checkbox group, the slider's thumb and number box, the dropdown's button);
      Checklist and RadioItems become a named group / radiogroup of native checkboxes / radios (Dash draws a listbox
      of options that each hold a focusable input, which screen readers cannot use); the DataTable's icon-only page
      buttons get words; a file input behind an "Open…" button leaves the tab order (the button opens it).
   3. Whatever scrolls sideways (a table, its .table-scroll wrapper, a code block: on a phone) and holds nothing
      focusable can be reached with Tab and scrolled with the arrow keys; it leaves the tab order again when the
      screen is wide enough.

   Everything is idempotent: an attribute is written only when it differs, so the observer settles after one pass. */
(function () {
  "use strict";

  var PAGER = {"first-page": "First page", "previous-page": "Previous page", "next-page": "Next page",
               "last-page": "Last page"};

  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }

  function dropAttr(el, name) {
    if (el.hasAttribute(name)) { el.removeAttribute(name); }
  }

  function labelledBy(el, id) {
    var ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(id) === -1) { setAttr(el, "aria-labelledby", [id].concat(ids).join(" ")); }
  }

  // ---- 1. chart summaries -----------------------------------------------------------------------------------------
  function summary(gd) {
    var meta = gd.layout && gd.layout.meta;
    var text = meta && typeof meta === "object" && meta.summary ? String(meta.summary) : "";
    var p = gd.querySelector(":scope > .hc-chart-summary");
    if (!p) {
      p = document.createElement("p");
      p.className = "sr-only hc-chart-summary";
      gd.insertBefore(p, gd.firstChild);
    }
    if (p.textContent !== text) { p.textContent = text; }
    Array.prototype.forEach.call(gd.querySelectorAll(".main-svg"), function (svg) {
      if (text) { setAttr(svg, "aria-hidden", "true"); } else { dropAttr(svg, "aria-hidden"); }
    });
  }

  function watchChart(gd) {
    if (gd._hcA11y) { summary(gd); return; }
    if (typeof gd.on !== "function") {  // plotly has not set the chart up yet: look again shortly
      if (!gd._hcRetry) {
        gd._hcRetry = true;
        window.setTimeout(function () { gd._hcRetry = false; if (gd.isConnected) { watchChart(gd); } }, 250);
      }
      return;
    }
    gd._hcA11y = true;
    gd.on("plotly_afterplot", function () { summary(gd); });
    summary(gd);
  }

  // ---- 2. names and roles of Dash widgets -------------------------------------------------------------------------
  function nameControls() {
    Array.prototype.forEach.call(document.querySelectorAll("label[for]"), function (label) {
      var target = label.htmlFor && document.getElementById(label.htmlFor);
      if (!target) { return; }
      if (!label.id) { label.id = "hc-label-" + label.htmlFor; }
      if (target.classList.contains("dash-options-list")) {  // dcc.Checklist, dcc.RadioItems
        setAttr(target, "role", target.classList.contains("dash-radioitems") ? "radiogroup" : "group");
        labelledBy(target, label.id);
        Array.prototype.forEach.call(target.querySelectorAll(".dash-options-list-option"), function (opt) {
          dropAttr(opt, "role");  // a plain <label> around its native input
          dropAttr(opt, "aria-selected");  // the input's own checked state says it
        });
      } else if (target.classList.contains("dash-slider-container")) {  // dcc.Slider: thumb and number box
        Array.prototype.forEach.call(target.querySelectorAll("[role=slider], input"), function (el) {
          labelledBy(el, label.id);
        });
      } else if (target.classList.contains("dash-dropdown")) {  // dcc.Dropdown: "GWP metric" before its value
        labelledBy(target, label.id);
      }
    });
  }

  function nameTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".previous-next-container button"), function (b) {
      Object.keys(PAGER).forEach(function (cls) {
        if (b.classList.contains(cls)) { setAttr(b, "aria-label", PAGER[cls]); }
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".previous-next-container input.current-page"),
      function (i) { setAttr(i, "aria-label", "Page number"); });
  }

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  function scrollable(el) {
    var x = window.getComputedStyle(el).overflowX;
    return (x === "auto" || x === "scroll") && el.scrollWidth > el.clientWidth + 1;
  }

  function reachScrolling() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-scroll, table, pre"), function (el) {
      var ours = el.getAttribute("data-hc-scroll") === "1";
      if (!ours && el.hasAttribute("tabindex")) { return; }  // the page made it focusable itself
      if (!scrollable(el) || el.querySelector(FOCUSABLE)) {
        if (ours) {
          ["tabindex", "data-hc-scroll", "role", "aria-label"].forEach(function (a) { dropAttr(el, a); });
        }
        return;
      }
      setAttr(el, "data-hc-scroll", "1");
      setAttr(el, "tabindex", "0");
      if (el.tagName === "DIV") {  // a table keeps its own role and caption; a wrapper becomes a named region
        var caption = el.querySelector("caption");
        setAttr(el, "role", "region");
        setAttr(el, "aria-label", (caption ? caption.textContent + ": " : "") + "table, scrolls sideways");
      }
    });
  }

  function nameFileInputs() {  // dcc.Upload: the visible button opens the (invisible) file input
    Array.prototype.forEach.call(document.querySelectorAll("input[type=file]"), function (input) {
      var button = input.parentElement && input.parentElement.querySelector("button");
      if (!button) { return; }
      setAttr(input, "aria-label", button.textContent.trim());
      setAttr(input, "tabindex", "-1");
    });
  }

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll(".js-plotly-plot"), watchChart);
    nameControls();
    nameTables();
    nameFileInputs();
    reachScrolling();
  }

  var pending = false;
  function later() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; scan(); });
  }
  // changes inside a chart (hover labels, a map being panned) are plotly's: the chart's own event covers redraws
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var t = records[i].target;
      if (!(t.closest && t.closest(".js-plotly-plot"))) { later(); return; }
    }
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["aria-selected", "role"]});
  window.addEventListener("resize", later);
  later();
})();
