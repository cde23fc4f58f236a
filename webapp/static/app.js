// Page behaviour shared by every page. Loaded as a file (never inline) so that the content
// security policy can allow scripts from this origin only (webapp/security.py).
(function () {
  'use strict';

  // Charts: reports/charts.py writes each figure as JSON in a data attribute; plotly.js is
  // loaded by the pages that have charts.
  function drawCharts() {
    if (typeof window.Plotly === 'undefined') { return; }
    document.querySelectorAll('[data-plotly-figure]').forEach(function (el) {
      var figure = JSON.parse(el.getAttribute('data-plotly-figure'));
      var layout = figure.layout || {};
      var narrow = layout.meta && layout.meta.narrow;
      if (narrow && el.clientWidth < narrow.below) {
        // A phone: the figure's own narrow layout (reports/charts.py), in plotly's dotted keys.
        Object.keys(narrow.layout).forEach(function (key) { setPath(layout, key, narrow.layout[key]); });
      }
      window.Plotly.newPlot(el, figure.data || [], layout, figure.config || {});
    });
  }

  function setPath(obj, dotted, value) {
    var keys = dotted.split('.');
    for (var i = 0; i < keys.length - 1; i++) {
      obj = obj[keys[i]] = obj[keys[i]] || {};
    }
    obj[keys[keys.length - 1]] = value;
  }

  // One submit per click: the server is idempotent anyway, this only spares a second request.
  function submitOnce() {
    document.querySelectorAll('form.submit-form').forEach(function (form) {
      form.addEventListener('submit', function (e) {
        var b = e.target.querySelector('button[type=submit]');
        if (b) { setTimeout(function () { b.disabled = true; }, 0); }
      });
    });
  }

  function start() { drawCharts(); submitOnce(); }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
