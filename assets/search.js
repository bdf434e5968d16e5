/* Holocarbon: the header search box (components/search.py) as a WAI-ARIA 1.2 combobox, and the skip link.

   The server callback fills the listbox (#hc-search-list, role=listbox, one role=option per result, each holding a
   dcc.Link) and writes data-query = the text it answers. This script:
   - gives the input its combobox attributes (role, aria-autocomplete, aria-controls, aria-expanded,
     aria-activedescendant: dcc.Input cannot carry them);
   - opens the list while the box has focus and text, closes it on Escape or when focus leaves the box;
   - ArrowDown / ArrowUp move the highlighted option (aria-selected), Enter opens the highlighted one (the first
     when none is; when the list still answers older text, Enter waits for the answer to what is typed);
   - after a result is opened, clears the box and moves focus to the page's <main> (#main-content).
   The skip link ("Skip to content", the first Tab stop) focuses #main-content without touching the address. */
(function () {
  var ROOT = "hc-search", INPUT = "hc-search-input", LIST = "hc-search-list", EMPTY = "hc-search-empty";
  var active = -1;          // highlighted option, -1: none
  var pendingEnter = false; // Enter pressed before the list answered the text in the box

  function parts() {
    return {root: document.getElementById(ROOT), input: document.getElementById(INPUT),
            list: document.getElementById(LIST), empty: document.getElementById(EMPTY)};
  }
  function options(p) {
    return p.list ? Array.prototype.slice.call(p.list.querySelectorAll('[role="option"]')) : [];
  }
  function answered(p) {  // the list answers the text now in the box
    return !!(p.list && p.input && p.list.getAttribute("data-query") === p.input.value);
  }
  function setOpen(p, open) {
    var has = options(p).length > 0 || !!(p.empty && p.empty.textContent);
    open = !!(open && p.input && p.input.value.trim() && has);
    if (p.root) { p.root.setAttribute("data-open", open ? "true" : "false"); }
    if (p.input) { p.input.setAttribute("aria-expanded", open ? "true" : "false"); }
  }
  function isOpen(p) { return !!(p.root && p.root.getAttribute("data-open") === "true"); }
  function highlight(p, i) {
    var opts = options(p);
    active = opts.length ? Math.max(-1, Math.min(i, opts.length - 1)) : -1;
    opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
    if (active >= 0) {
      p.input.setAttribute("aria-activedescendant", opts[active].id);
      if (opts[active].scrollIntoView) { opts[active].scrollIntoView({block: "nearest"}); }
    } else if (p.input) {
      p.input.removeAttribute("aria-activedescendant");
    }
  }
  function finish(p) {  // after a result is opened: an empty, closed box; focus on the new page
    setOpen(p, false);
    highlight(p, -1);
    var dc = window.dash_clientside;
    if (dc && typeof dc.set_props === "function") { dc.set_props(INPUT, {value: ""}); }
    var main = document.getElementById("main-content");
    if (main) { main.focus({preventScroll: true}); }
  }
  function go(p) {  // open the highlighted result, or the first
    var opts = options(p);
    var link = opts.length ? opts[active >= 0 ? active : 0].querySelector("a") : null;
    if (!link) { return false; }
    link.click();  // dcc.Link: in-app navigation
    finish(p);
    return true;
  }

  function setUp(p) {
    if (!p.input || p.input.getAttribute("role") === "combobox") { return; }
    p.input.setAttribute("role", "combobox");
    p.input.setAttribute("aria-autocomplete", "list");
    p.input.setAttribute("aria-controls", LIST);
    p.input.setAttribute("aria-expanded", "false");
    if (p.list) {
      new MutationObserver(function () {  // the callback answered: keep the highlight in range, maybe open
        var q = parts();
        highlight(q, active);
        setOpen(q, document.activeElement === q.input);
        if (pendingEnter && answered(q)) { pendingEnter = false; go(q); }
      }).observe(p.list.parentNode, {childList: true, subtree: true, characterData: true, attributes: true,
                                     attributeFilter: ["data-query"]});
    }
  }

  document.addEventListener("keydown", function (ev) {
    if (!ev.target || ev.target.id !== INPUT) { return; }
    var p = parts();
    setUp(p);
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      setOpen(p, true);
      highlight(p, active + 1);
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      highlight(p, active - 1);
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (!p.input.value.trim()) { return; }
      if (answered(p)) { go(p); } else { pendingEnter = true; }
    } else if (ev.key === "Escape") {
      if (isOpen(p)) { ev.preventDefault(); setOpen(p, false); highlight(p, -1); }
      else if (p.input.value) {
        ev.preventDefault();
        var dc = window.dash_clientside;
        if (dc && typeof dc.set_props === "function") { dc.set_props(INPUT, {value: ""}); }
      }
    }
  });
  document.addEventListener("input", function (ev) {  // new text: nothing highlighted until the user moves
    if (!ev.target || ev.target.id !== INPUT) { return; }
    var p = parts();
    setUp(p);
    pendingEnter = false;
    highlight(p, -1);
    setOpen(p, true);
  });
  document.addEventListener("focusin", function (ev) {
    var p = parts();
    if (ev.target && ev.target.id === INPUT) { setUp(p); setOpen(p, true); }
  });
  document.addEventListener("focusout", function (ev) {
    if (!ev.target || !ev.target.closest || !ev.target.closest("#" + ROOT)) { return; }
    setTimeout(function () {  // a click on a result moves focus into the list first
      var p = parts();
      if (p.root && !p.root.contains(document.activeElement)) { setOpen(p, false); }
    }, 150);
  });
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t || !t.closest) { return; }
    var skip = t.closest("a.skip-link");
    if (skip) {  // focus the main landmark; the address keeps no #fragment (the pages' URL state owns it)
      var main = document.getElementById("main-content");
      if (main) { ev.preventDefault(); main.focus(); main.scrollIntoView(); }
      return;
    }
    if (t.closest("#" + LIST + " a")) { setTimeout(function () { finish(parts()); }, 0); }
  });

  // give the input its combobox role as soon as the shell is rendered (before anyone focuses it)
  function whenReady() {
    var p = parts();
    if (p.input) { setUp(p); return true; }
    return false;
  }
  if (!whenReady()) {
    var watch = new MutationObserver(function () { if (whenReady()) { watch.disconnect(); } });
    watch.observe(document.documentElement, {childList: true, subtree: true});
  }
})();
