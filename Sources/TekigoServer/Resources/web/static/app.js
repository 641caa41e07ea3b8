// Tekigo: small progressive enhancements. Every page works without this file.
// 1. The requirement editor warns before leaving with unsaved changes.
// 2. In the editor, Alt+1…4 set the status of the objective that has focus (met, not met, N/A, not assessed).
// 3. The editor keeps what was typed in this tab (sessionStorage) until the save goes through: a save refused by the
//    idle timeout leads to sign-in and back to the page, which puts the input back and says so (issue 17 item 6).
(function () {
  "use strict";
  // Marks the page as enhanced (the browser test checks this is absent when JavaScript is off).
  document.documentElement.setAttribute("data-enhanced", "1");
  var form = document.getElementById("editor-form");
  if (!form) { return; }
  var dirty = false;
  var key = "tekigo-draft:" + location.pathname;
  var version = form.elements.answer_version ? form.elements.answer_version.value : "";

  // Text, radios, checkboxes and selects by name; never files or the CSRF token (the new page has its own).
  function snapshot() {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (e) {
      if (!e.name || e.type === "file" || e.type === "hidden" || e.type === "submit" || e.disabled) { return; }
      if (e.type === "radio") { if (e.checked) { fields[e.name] = e.value; } return; }
      if (e.type === "checkbox") { (fields[e.name] = fields[e.name] || {})[e.value] = e.checked; return; }
      fields[e.name] = e.value;
    });
    return fields;
  }
  function keep() {
    try { sessionStorage.setItem(key, JSON.stringify({ version: version, fields: snapshot() })); } catch (err) { /* storage off */ }
  }
  function restore(fields) {
    Array.prototype.forEach.call(form.elements, function (e) {
      if (!e.name || !(e.name in fields) || e.type === "file" || e.type === "hidden" || e.disabled) { return; }
      var v = fields[e.name];
      if (e.type === "radio") { e.checked = e.value === v; }
      else if (e.type === "checkbox") { if (typeof v === "object" && e.value in v) { e.checked = v[e.value]; } }
      else { e.value = v; }
    });
  }

  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (err) { saved = null; }
  if (saved && saved.version === version && saved.fields) {
    // Same answer version as when it was typed: the save did not go through (signed out meanwhile). Put it back.
    var before = JSON.stringify(snapshot());
    restore(saved.fields);
    if (JSON.stringify(snapshot()) !== before) {
      dirty = true;
      var note = document.getElementById("draft-restored");
      if (note) { note.hidden = false; }
    }
  } else if (saved) {
    // The answer moved on (saved, or saved by someone else): the kept input is no longer what to show.
    try { sessionStorage.removeItem(key); } catch (err) { /* storage off */ }
  }

  form.addEventListener("input", function () { dirty = true; keep(); });
  form.addEventListener("change", function () { dirty = true; keep(); });
  form.addEventListener("submit", function () { dirty = false; keep(); });
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
    if (radios[n] && !radios[n].disabled) { radios[n].checked = true; dirty = true; keep(); e.preventDefault(); }
  });
})();
