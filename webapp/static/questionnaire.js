// Questionnaire page: save on every change, reveal follow-up questions, keep typed answers
// in the browser if the server cannot take them (expired login, conflict, network).
(function () {
  "use strict";
  var form = document.getElementById("page-form");
  if (!form) return;
  var script = document.currentScript;
  var status = document.getElementById("save-status");
  // One copy per assessment and page: a restore puts answers back only where they were typed.
  var key = "dt-unsaved-" + form.dataset.assessment + "-" + form.dataset.page;
  var timer = null;
  var inFlight = false;
  var pending = false;
  // A page button pressed while an autosave is on its way: pressed again once the save is back,
  // so that the page is sent with the version that save returned (sent before, it would meet
  // its own autosave as a concurrent edit and come back as a conflict).
  var waitingButton = null;

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
      form.dataset.loadedVersion = String(r.body.version);
      if (!pending) clearLocal();  // a newer change is still to be sent: keep its copy
      say("msgSaved");
    }).catch(function (err) {
      keepLocal();
      say(err.message === "expired" ? "msgExpired" : "msgFailed");
    }).finally(function () {
      inFlight = false;
      if (waitingButton) {
        var button = waitingButton;
        waitingButton = null;
        pending = false;  // the page itself carries every answer
        form.requestSubmit(button);
        return;
      }
      if (pending) { pending = false; save(); }
    });
  }

  function itemNames() {
    var names = [];
    form.querySelectorAll('[name^="item_"]').forEach(function (el) {
      if (names.indexOf(el.name) === -1) names.push(el.name);
    });
    return names;
  }

  function valuesByName() {
    var values = {};
    itemNames().forEach(function (name) { values[name] = []; });
    new FormData(form).forEach(function (v, k) {
      if (k in values && v !== "") values[k].push(String(v));
    });
    Object.keys(values).forEach(function (k) { values[k].sort(); });
    return values;
  }

  // The copy records whose answers they are (user, assessment) and the version of the
  // server's answers they were typed over: only that version's answers are older than them.
  function keepLocal() {
    try {
      localStorage.setItem(key, JSON.stringify({
        user: form.dataset.user, assessment: form.dataset.assessment,
        version: form.dataset.loadedVersion, values: valuesByName(), at: Date.now()
      }));
    } catch (e) { /* storage full or disabled: the page itself still holds the answers */ }
  }
  function clearLocal() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  function setValues(name, wanted) {
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") el.checked = wanted.indexOf(el.value) !== -1;
      else el.value = wanted.length ? wanted[0] : "";
    });
  }

  // After a new login the page shows the server's answers: put back what was typed but never
  // saved, when it belongs to this user and assessment and nothing was saved since.
  function restoreLocal() {
    var copy;
    try { copy = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { copy = null; }
    if (!copy || !copy.values) return;
    if (copy.user !== form.dataset.user || copy.assessment !== form.dataset.assessment ||
        copy.version !== form.querySelector("#version").value) {
      clearLocal();  // another user's, or the server has newer answers: the server wins
      return;
    }
    var current = valuesByName();
    var restored = 0;
    Object.keys(copy.values).forEach(function (name) {
      if (!(name in current)) return;
      if (JSON.stringify(current[name]) === JSON.stringify(copy.values[name])) return;
      setValues(name, copy.values[name]);
      restored += 1;
    });
    if (!restored) { clearLocal(); return; }
    var notice = document.getElementById("restore-notice");
    notice.textContent = (script.dataset.msgRestored || "").replace("{n}", String(restored));
    notice.hidden = false;
    applyShowIf();
    save();
  }

  // A figure's "don't know" box and its number exclude each other: ticking the box empties
  // the number, typing a number unticks the box (the server refuses both at once).
  function exclusiveDontKnow(event) {
    var el = event.target;
    if (!el.name || el.name.indexOf("item_") !== 0) return;
    var box = form.querySelector('.dont-know input[name="' + el.name + '"]');
    var number = form.querySelector('input[type="number"][name="' + el.name + '"]');
    if (!box || !number) return;
    if (el === box && box.checked) number.value = "";
    if (el === number && number.value !== "") box.checked = false;
  }
  form.addEventListener("input", exclusiveDontKnow);

  form.addEventListener("change", function (event) {
    exclusiveDontKnow(event);
    applyShowIf();
    keepLocal();  // at once: the tab may be closed or navigated before the save goes out
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (inFlight) {
      event.preventDefault();
      waitingButton = event.submitter || form.querySelector('button[value="save"]');
      say("msgSaving");
      return;
    }
    clearLocal();
  });
  form.dataset.loadedVersion = form.querySelector("#version").value;
  applyShowIf();
  restoreLocal();
  // On a phone the parts are a horizontal strip: bring the current part into view.
  var current = document.querySelector(".steps li.current");
  if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest", inline: "center" });
})();
