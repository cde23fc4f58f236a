// Page behaviour shared by every page. Loaded as a file (never inline) so that the content
// security policy can allow scripts from this origin only (webapp/security.py).
(function () {
  'use strict';

  // Charts: reports/charts.py writes each figure as JSON in a data attribute; plotly.js is
  // loaded by the pages that have charts. A figure may carry its own phone layout
  // (layout.meta.narrow, see NARROW in reports/charts.py); it is applied whenever the chart is
  // narrower than narrow.below, and taken back off when a resize or a turned phone makes the
  // chart wide again (and on again the other way).
  function drawCharts() {
    if (typeof window.Plotly === 'undefined') { return; }
    var charts = [];
    document.querySelectorAll('[data-plotly-figure]').forEach(function (el) {
      var spec = el.getAttribute('data-plotly-figure');
      var layout = JSON.parse(spec).layout || {};
      var chart = {
        el: el, spec: spec, height: el.style.height, drawn: null,
        narrow: (layout.meta && layout.meta.narrow) || null
      };
      charts.push(chart);
      draw(chart);
    });
    var timer = null;
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { charts.forEach(draw); }, 150);
    });
  }

  function draw(chart) {
    var el = chart.el;
    var narrow = chart.narrow;
    var isNarrow = !!narrow && el.clientWidth < narrow.below;
    var height = chart.height;
    if (isNarrow && narrow.square) {
      // Only as tall as the circle (as wide as the space between the side margins) needs.
      var m = function (side) { return narrow.layout['margin.' + side] || 0; };
      var fit = el.clientWidth - m('l') - m('r') + m('t') + m('b');
      height = Math.min(parseFloat(chart.height) || fit, fit) + 'px';
    }
    el.style.height = height;
    var state = (isNarrow ? 'narrow ' : 'wide ') + height;
    if (state === chart.drawn) { return; }  // plotly's own resize handles the rest
    chart.drawn = state;
    var figure = JSON.parse(chart.spec);
    var layout = figure.layout || {};
    if (isNarrow) {
      // A phone: the figure's own narrow layout, in plotly's dotted keys, and shorter labels.
      Object.keys(narrow.layout).forEach(function (key) {
        setPath(layout, key, narrow.layout[key]);
      });
      if (narrow.theta) {
        (figure.data || []).forEach(function (trace) { trace.theta = narrow.theta; });
      }
    }
    window.Plotly.newPlot(el, figure.data || [], layout, figure.config || {});
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
