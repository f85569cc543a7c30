// Keyboard shortcuts (UI guide): "/" focuses the search; in the worklist j/k move between customers, c opens
// "log call" and p "record promise" of the selected customer. Everything works without this script.
(function () {
  var entries = function () { return Array.prototype.slice.call(document.querySelectorAll('.worklist .entry')); };
  var current = -1;
  function select(i) {
    var list = entries(); if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (e, k) { e.classList.toggle('selected', k === current); });
    list[current].focus(); list[current].scrollIntoView({ block: 'nearest' });
  }
  function open(key) {
    var list = entries(); if (current < 0 || !list[current]) return;
    var d = list[current].querySelector('details.qa[data-key="' + key + '"]'); if (!d) return;
    d.open = true; var f = d.querySelector('input, select, textarea'); if (f) f.focus();
  }
  document.addEventListener('keydown', function (ev) {
    var t = ev.target.tagName; if (t === 'INPUT' || t === 'SELECT' || t === 'TEXTAREA' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === '/') { var q = document.getElementById('q'); if (q) { ev.preventDefault(); q.focus(); } }
    else if (ev.key === 'j') select(current + 1);
    else if (ev.key === 'k') select(current - 1);
    else if (ev.key === 'c' || ev.key === 'p') { ev.preventDefault(); open(ev.key); }
  });
})();
