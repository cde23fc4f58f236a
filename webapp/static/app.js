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
      window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, figure.config || {});
    });
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
