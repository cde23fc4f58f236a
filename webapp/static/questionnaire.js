// Questionnaire page: save on every change, reveal follow-up questions, keep typed answers
// in the browser if the server cannot take them (expired login, conflict, network).
(function () {
  "use strict";
  var form = document.getElementById("page-form");
  if (!form) return;
  var script = document.currentScript;
  var status = document.getElementById("save-status");
  var key = "dt-unsaved-" + form.dataset.assessment;
  var timer = null;
  var inFlight = false;
  var pending = false;

  function say(name) { status.textContent = script.dataset[name] || ""; }

  function checkedValues(code) {
    var values = [];
    form.querySelectorAll('[name="item_' + code + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") ? el.checked : el.value) values.push(el.value);
    });
    return values;
  }

  function applyShowIf() {
    form.querySelectorAll("[data-show-if-item]").forEach(function (q) {
      var wanted = q.dataset.showIfValues.split(" ");
      var have = checkedValues(q.dataset.showIfItem);
      q.hidden = !have.some(function (v) { return wanted.indexOf(v) !== -1; });
    });
  }

  function save() {
    if (inFlight) { pending = true; return; }
    inFlight = true;
    say("msgSaving");
    var data = new FormData(form);
    fetch(form.dataset.autosave, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": data.get("csrf_token") || "" }
    }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      if (resp.redirected || type.indexOf("application/json") === -1) {
        throw new Error("expired");
      }
      return resp.json().then(function (body) { return { ok: resp.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) { status.textContent = r.body.message || script.dataset.msgFailed; keepLocal(); return; }
      form.querySelector("#version").value = r.body.version;
      clearLocal();
      say("msgSaved");
    }).catch(function (err) {
      keepLocal();
      say(err.message === "expired" ? "msgExpired" : "msgFailed");
    }).finally(function () {
      inFlight = false;
      if (pending) { pending = false; save(); }
    });
  }

  function keepLocal() {
    try {
      var entries = [];
      new FormData(form).forEach(function (v, k) { if (k.indexOf("item_") === 0) entries.push([k, v]); });
      localStorage.setItem(key, JSON.stringify(entries));
    } catch (e) { /* storage full or disabled: the page itself still holds the answers */ }
  }
  function clearLocal() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  form.addEventListener("change", function () {
    applyShowIf();
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  });
  form.addEventListener("submit", function () { clearTimeout(timer); clearLocal(); });
  applyShowIf();
  // On a phone the parts are a horizontal strip: bring the current part into view.
  var current = document.querySelector(".steps li.current");
  if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest", inline: "center" });
})();
