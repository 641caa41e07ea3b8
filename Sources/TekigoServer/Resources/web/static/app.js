// Tekigo: small progressive enhancements. Every page works without this file.
// 1. The requirement editor warns before leaving with unsaved changes.
// 2. In the editor, Alt+1…4 set the status of the objective that has focus (met, not met, N/A, not assessed).
(function () {
  "use strict";
  // Marks the page as enhanced (the browser test checks this is absent when JavaScript is off).
  document.documentElement.setAttribute("data-enhanced", "1");
  var form = document.getElementById("editor-form");
  if (!form) { return; }
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey) { return; }
    var n = "1234".indexOf(e.key);
    if (n < 0) { return; }
    var active = document.activeElement;
    var fieldset = active && active.closest ? active.closest("fieldset.objective") : null;
    if (!fieldset) { return; }
    var radios = fieldset.querySelectorAll("input[type=radio]");
    if (radios[n] && !radios[n].disabled) { radios[n].checked = true; dirty = true; e.preventDefault(); }
  });
})();
