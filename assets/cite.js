/* "Cite this view" (components/shell.py, components/cite.py): the footer line
     Holocarbon <version> (pack <id>), <page title>, <full URL with query>, accessed <YYYY-MM-DD>
   The version and pack come from the server (data attributes of #cite-line); the title, URL and date are the
   browser's, and follow the page: Dash changes the title when the page changes, and the pages rewrite the address
   with history.replaceState/pushState when a control changes (no reload), so both are watched. The button copies the
   line (the clipboard API, or a selection and execCommand where that API is missing) and says so in a status
   message. */
(function () {
  "use strict";

  var LINE = "cite-line", COPY = "cite-copy", STATUS = "cite-status";
  var pending = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function pageTitle() {
    var t = (document.title || "").trim();
    if (/^Holocarbon\s+[—-]\s/.test(t)) { return "Home"; }  // "Holocarbon — open holographic carbon maps"
    return t.replace(/\s+[—-]\s+Holocarbon$/, "") || "Holocarbon";
  }

  function address() {
    var href = window.location.href;
    return window.location.hash === "#main-content" ? href.split("#")[0] : href;  // the skip link's jump
  }

  function text(el) {
    return "Holocarbon " + el.getAttribute("data-version") + " (pack " + el.getAttribute("data-pack") + "), " +
      pageTitle() + ", " + address() + ", accessed " + today();
  }

  function update() {
    pending = false;
    var el = document.getElementById(LINE);
    if (!el) { return; }
    var t = text(el);
    if (el.textContent !== t) { el.textContent = t; }
  }

  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(update);
  }

  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name];
    if (typeof original !== "function") { return; }
    window.history[name] = function () {
      var result = original.apply(this, arguments);
      schedule();
      return result;
    };
  });
  window.addEventListener("popstate", schedule);
  window.addEventListener("hashchange", schedule);

  function watch() {
    // the title: Dash sets it on each page
    new MutationObserver(schedule).observe(document.head, {childList: true, subtree: true, characterData: true});
    // the footer: Dash draws it after the page has loaded (watched until it is there)
    if (document.getElementById(LINE)) { schedule(); return; }
    var drawn = new MutationObserver(function () {
      if (document.getElementById(LINE)) { drawn.disconnect(); schedule(); }
    });
    drawn.observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }

  function say(message) {
    var s = document.getElementById(STATUS);
    if (!s) { return; }
    s.textContent = message;
    window.setTimeout(function () { if (s.textContent === message) { s.textContent = ""; } }, 4000);
  }

  function fallbackCopy(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    say(ok ? "Citation copied." : "Select the line and copy it (Ctrl+C).");
  }

  document.addEventListener("click", function (ev) {
    if (!ev.target.closest || !ev.target.closest("#" + COPY)) { return; }
    update();
    var el = document.getElementById(LINE);
    if (!el) { return; }
    var t = el.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(t).then(function () { say("Citation copied."); },
                                            function () { fallbackCopy(el); });
    } else {
      fallbackCopy(el);
    }
  });
})();
