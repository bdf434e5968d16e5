/* Removes the page's static first view (components/firstview.py) once the live page is in the document (the CSS of
   assets/firstview.css already hides it then): its copies of classes must not be found by other scripts. If the live
   page never arrives (a failed router callback), the copy goes after 20 s and Dash's own state shows. */
(function () {
  'use strict';
  var view = document.getElementById('hc-first-view');
  if (!view) { return; }
  var done = false;
  function remove() {
    if (done) { return; }
    done = true;
    observer.disconnect();
    if (view.parentNode) { view.parentNode.removeChild(view); }
  }
  function check() {
    var content = document.getElementById('_pages_content');
    if (content && content.firstElementChild) { remove(); }
  }
  var observer = new MutationObserver(check);
  observer.observe(document.getElementById('react-entry-point') || document.body, { childList: true, subtree: true });
  setTimeout(remove, 20000);
  check();
}());
