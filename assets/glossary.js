/* Glossary tooltips (components/glossary.py, assets/glossary.css). CSS shows a definition on hover and on keyboard
   focus; this adds a tap (a click toggles the definition open, for phones where hover does not exist and a tap may
   not leave the focus on a button), closes it on a tap elsewhere, and hides it on Escape (WCAG 1.4.13: dismissible
   without moving the pointer or the focus) until the word is left. On a wide screen an open tooltip that would pass
   the window's right edge is moved left. One delegated listener per event; nothing runs until a term is used. */
(function () {
  "use strict";

  function glossOf(el) { return el && el.closest ? el.closest(".gloss") : null; }

  function fit(gloss) {
    var tip = gloss.querySelector(".gloss-tip");
    if (!tip) { return; }
    tip.style.left = "";
    if (window.getComputedStyle(tip).position !== "absolute") { return; }  // phones: fixed along the bottom
    var r = tip.getBoundingClientRect();
    var over = r.right - (document.documentElement.clientWidth - 8);
    if (over > 0) { tip.style.left = (-Math.min(over, r.left - 8)) + "px"; }
  }

  function closeAll(except) {
    Array.prototype.forEach.call(document.querySelectorAll(".gloss.gloss-open"), function (g) {
      if (g !== except) { g.classList.remove("gloss-open"); }
    });
  }

  document.addEventListener("click", function (ev) {
    var gloss = glossOf(ev.target);
    if (!gloss) { closeAll(null); return; }
    var term = ev.target.closest(".gloss-term");
    closeAll(gloss);
    if (!term) { return; }  // a tap on the open definition itself keeps it
    gloss.classList.remove("gloss-dismissed");
    gloss.classList.toggle("gloss-open");
    fit(gloss);
  });

  document.addEventListener("keydown", function (ev) {
    var term = ev.target.closest && ev.target.closest(".gloss-term");
    if (term && (ev.key === "Enter" || ev.key === " ")) {  // a role="button" answers Enter and Space like a button
      ev.preventDefault();
      term.click();
      return;
    }
    if (ev.key !== "Escape" && ev.key !== "Esc") { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".gloss"), function (g) {
      if (g.classList.contains("gloss-open") || g.matches(":hover") || g.contains(document.activeElement)) {
        g.classList.remove("gloss-open");
        g.classList.add("gloss-dismissed");
      }
    });
  });

  function reset(ev) {  // leaving the word (focus or pointer) ends an Escape
    var gloss = glossOf(ev.target);
    if (gloss) { gloss.classList.remove("gloss-dismissed"); }
  }
  document.addEventListener("focusout", reset);
  document.addEventListener("mouseout", function (ev) {
    var gloss = glossOf(ev.target);
    if (gloss && !gloss.contains(ev.relatedTarget)) { gloss.classList.remove("gloss-dismissed"); }
  });
  document.addEventListener("focusin", function (ev) {
    var gloss = glossOf(ev.target);
    if (gloss) { fit(gloss); }
  });
  document.addEventListener("mouseover", function (ev) {
    var gloss = glossOf(ev.target);
    if (gloss && !gloss.contains(ev.relatedTarget)) { fit(gloss); }
  });
})();
