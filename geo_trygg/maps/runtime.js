// geo_trygg map runtime: popups, tooltips, legends, banner and search built with
// textContent from JSON data (see geo_trygg/maps/_runtime.py).
var geoTrygg = (function () {
  'use strict';
  var registry = Object.create(null);
  var findings = Object.create(null);  // finding id -> marker, for the #fynd= address
  function has(o, k) { return o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k); }
  function lookup(map, key, fallback) { return (typeof key === 'string' && has(map, key)) ? map[key] : fallback; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function shown(spec, props, key) {
    var v = props[key];
    var names = spec.value_labels && has(spec.value_labels, key) ? spec.value_labels[key] : null;
    return names ? lookup(names, v, v) : v;
  }
  function table(title, props, fields, spec) {
    var box = el('div', 'gt-info');
    if (title) { box.appendChild(el('div', 'gt-info-title', title)); }
    var t = el('table');
    for (var i = 0; i < fields.length; i++) {
      var key = fields[i][0];
      if (!has(props, key)) { continue; }
      var v = spec ? shown(spec, props, key) : props[key];
      if (v === null || v === undefined || v === '') { continue; }
      var tr = el('tr');
      tr.appendChild(el('th', null, fields[i][1]));
      tr.appendChild(el('td', null, v));
      t.appendChild(tr);
    }
    box.appendChild(t);
    return box;
  }
  function titleOf(spec, props) {
    return spec.title_key && has(props, spec.title_key) ? shown(spec, props, spec.title_key) : '';
  }
  function findingIcon(spec, props) {
    var wrap = el('div', 'gt-marker gt-' + lookup(spec.shapes, props.s, 'open'));
    wrap.style.background = lookup(spec.colours, props.c, spec.colour_default);
    var i = el('i', 'fa-solid fa-' + lookup(spec.icons, props.c, spec.icon_default));
    wrap.appendChild(i);
    return L.divIcon({className: 'gt-icon', html: wrap, iconSize: [22, 22], iconAnchor: [11, 11]});
  }
  function options(spec) {
    return {
      style: function (f) {
        var s = {};
        for (var k in spec.style) { if (has(spec.style, k)) { s[k] = spec.style[k]; } }
        var p = (f && f.properties) || {};
        if (spec.fill_key) { s.fillColor = lookup(spec.fills, p[spec.fill_key], spec.fill_default); }
        return s;
      },
      pointToLayer: function (f, latlng) {
        if (spec.kind === 'finding') {
          return L.marker(latlng, {icon: findingIcon(spec, f.properties || {}), keyboard: false});
        }
        return L.circleMarker(latlng, spec.style);
      },
      onEachFeature: function (f, layer) {
        var p = f.properties || {};
        if (spec.tooltip) {
          layer.bindTooltip(function () { return table(titleOf(spec, p), p, spec.tooltip, spec); }, {sticky: true});
        }
        if (spec.label_key && has(p, spec.label_key)) {  // a name always shown (neighbours)
          layer.bindTooltip(el('span', null, p[spec.label_key]),
            {permanent: true, direction: 'center', className: 'gt-name-label', interactive: false});
        }
        if (spec.kind === 'finding' && has(p, 'id') && p.id !== null) { findings[String(p.id)] = layer; }
        if (spec.popup) {
          // an open popup is moved into view and clear of the map's controls (place)
          layer.bindPopup(function () { return table(titleOf(spec, p), p, spec.popup, spec); },
            {maxWidth: 360, minWidth: 220, autoPan: false});
          layer.on('popupopen', function () { place(layer); });
          if (spec.tooltip) {  // the tooltip stays hidden while the popup is open
            layer.on('popupopen', function () { var t = layer.getTooltip(); if (t) { layer.closeTooltip(); t.setOpacity(0); } });
            layer.on('popupclose', function () { var t = layer.getTooltip(); if (t) { t.setOpacity(0.9); } });
          }
        }
        if (spec.search && spec.title_key && has(p, spec.title_key)) {
          registry[String(p[spec.title_key])] = layer;
        }
      }
    };
  }
  function corner(map, name) {  // the size of a corner's controls, [width, height]
    var c = map._controlCorners && map._controlCorners[name];
    if (!c || !c.children.length) { return [0, 0]; }
    var box = map.getContainer().getBoundingClientRect();
    var w = 0, h = 0;
    for (var i = 0; i < c.children.length; i++) {
      var r = c.children[i].getBoundingClientRect();
      if (!r.width && !r.height) { continue; }
      w = Math.max(w, name.indexOf('left') >= 0 ? r.right - box.left : box.right - r.left);
      h = Math.max(h, name.indexOf('top') === 0 ? r.bottom - box.top : box.bottom - r.top);
    }
    return [w, h];
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function place(layer) {
    // pan the map so that the open popup lies inside it and beside, not under, every
    // control (the controls stand in the corners: the popup moves sideways away from them)
    var map = layer._map, popup = layer.getPopup && layer.getPopup();
    var node = popup && popup.getElement && popup.getElement();
    if (!map || !node) { return; }
    var box = map.getContainer().getBoundingClientRect();
    var p = node.getBoundingClientRect();
    var dx = 0, dy = 0;
    if (p.top < box.top + 8) { dy = box.top + 8 - p.top; }
    else if (p.bottom > box.bottom - 8) { dy = Math.max(box.top + 8 - p.top, box.bottom - 8 - p.bottom); }
    if (p.left < box.left + 8) { dx = box.left + 8 - p.left; }
    else if (p.right > box.right - 8) { dx = box.right - 8 - p.right; }
    var controls = map.getContainer().querySelectorAll('.leaflet-control');
    for (var pass = 0; pass < 2; pass++) {
      for (var i = 0; i < controls.length; i++) {
        var r = controls[i].getBoundingClientRect();
        if (!r.width || !r.height) { continue; }
        var q = {left: p.left + dx, right: p.right + dx, top: p.top + dy, bottom: p.bottom + dy};
        if (!overlaps(q, r)) { continue; }
        if (r.left + r.width / 2 > box.left + box.width / 2) { dx = r.left - 8 - p.right; }
        else { dx = r.right + 8 - p.left; }
      }
    }
    if (dx || dy) { map.panBy([-dx, -dy], {animate: false}); }
  }
  function box(map, spec) {
    var ctl = L.control({position: spec.position});
    ctl.onAdd = function () {
      var div = el('div', 'gt-box ' + (spec.cls || ''));
      var inner = div;
      if (spec.toggle) {  // a legend that folds away: <details open><summary>…</summary>
        inner = el('details', 'gt-fold');
        inner.open = true;
        inner.appendChild(el('summary', 'gt-box-title', spec.toggle));
        div.appendChild(inner);
      }
      if (spec.title) { inner.appendChild(el('div', 'gt-box-title', spec.title)); }
      (spec.lines || []).forEach(function (line) { inner.appendChild(el('div', 'gt-box-line', line)); });
      (spec.sections || []).forEach(function (section) {
        if (section.title) { inner.appendChild(el('div', 'gt-box-subtitle', section.title)); }
        (section.rows || []).forEach(function (row) {
          var r = el('div', 'gt-row');
          var key = el('span', 'gt-key gt-key-' + lookup(spec.key_kinds, row.kind, 'fill'));
          if (row.shape) {  // a finding's status drawn as its marker is (circle, square, pale)
            key.className += ' gt-status-key gt-' + lookup(spec.shapes, row.shape, 'open');
          }
          if (row.colour) { key.style.background = row.kind === 'line' ? 'transparent' : row.colour; key.style.borderColor = row.colour; }
          if (row.dash) { key.style.borderStyle = lookup(spec.dashes, row.dash, 'solid'); }
          if (row.icon) { key.appendChild(el('i', 'fa-solid fa-' + lookup(spec.icons, row.icon, 'circle'))); }
          r.appendChild(key);
          r.appendChild(el('span', 'gt-label', row.label));
          inner.appendChild(r);
        });
      });
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    ctl.addTo(map);
    return ctl;
  }
  function banner(text) {
    var b = el('div', 'gt-banner', text);
    document.body.appendChild(b);
    return b;
  }
  function search(map, placeholder, label) {
    var ctl = L.control({position: 'topleft'});
    ctl.onAdd = function () {
      var div = el('div', 'gt-search leaflet-bar');
      var input = el('input');
      input.type = 'search';
      input.placeholder = placeholder;
      input.setAttribute('aria-label', label);
      input.setAttribute('list', 'gt-search-list');
      var list = el('datalist');
      list.id = 'gt-search-list';
      Object.keys(registry).sort().forEach(function (name) {
        var o = el('option');
        o.value = name;
        list.appendChild(o);
      });
      div.appendChild(input);
      div.appendChild(list);
      L.DomEvent.disableClickPropagation(div);
      input.addEventListener('change', function () {
        var hit = registry[input.value];
        if (!hit) { return; }
        if (hit.getBounds) { map.fitBounds(hit.getBounds()); } else { map.setView(hit.getLatLng(), 16); }
        if (hit.openTooltip) { hit.openTooltip(); }
      });
      return div;
    };
    ctl.addTo(map);
    return ctl;
  }
  function describe(map, spec) {
    // a text alternative for screen readers: the map is a labelled region described by it
    var box = map.getContainer();
    var p = el('p', 'gt-sr-only', spec.text);
    p.id = box.id + '-alt';
    box.parentNode.insertBefore(p, box);
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', spec.label);
    box.setAttribute('aria-describedby', p.id);
  }
  function scale(map) {  // metres and kilometres only: no feet or miles
    L.control.scale({metric: true, imperial: false}).addTo(map);
  }
  function fit(map) {
    // the legend never covers another control: its height is limited to the room the
    // controls above it leave, and it folds away (its title only) when that room is small
    var box = map.getContainer();
    var legend = box.querySelector('.gt-legend');
    if (!legend) { return; }
    var fold = legend.querySelector('details.gt-fold');
    var room = map.getSize().y - corner(map, 'topright')[1] - 30;
    legend.style.maxHeight = Math.max(24, room) + 'px';
    if (fold && room < 160) { fold.open = false; }
  }
  function ready(map) {
    // the map's scripts ran: the sentence shown when they cannot load goes, the legend fits
    var f = document.getElementById('gt-fallback');
    if (f && f.parentNode) { f.parentNode.removeChild(f); }
    fit(map);
    window.addEventListener('resize', function () { fit(map); });
    window.addEventListener('load', function () { fit(map); });
    window.addEventListener('beforeprint', function () {  // printed with the legend open
      var fold = map.getContainer().querySelector('.gt-legend details.gt-fold');
      if (fold) { fold.open = true; }
    });
  }
  function go(map) {
    // #fynd=<id>: zoom 18 on the finding and open its popup; #punkt=<lat>,<lon>: zoom 18 there
    var h = window.location.hash || '';
    var m = /^#fynd=(.+)$/.exec(h);
    if (m) {
      var id;
      try { id = decodeURIComponent(m[1]); } catch (e) { return false; }
      if (!has(findings, id)) { return false; }
      var hit = findings[id];
      map.setView(hit.getLatLng(), 18, {animate: false});
      var group = null;
      map.eachLayer(function (l) {
        if (!group && l.zoomToShowLayer && l.hasLayer && l.hasLayer(hit)) { group = l; }
      });
      var open = function () { hit.openPopup(); };
      if (group) { group.zoomToShowLayer(hit, open); } else { open(); }
      return true;
    }
    m = /^#punkt=(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(h);
    if (m) {
      var lat = Number(m[1]), lon = Number(m[2]);
      if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) { return false; }
      map.setView([lat, lon], 18, {animate: false});
      if (map._gtPoint) { map.removeLayer(map._gtPoint); }
      map._gtPoint = L.circleMarker([lat, lon], {radius: 12, color: '#000', weight: 3, fill: false,
        className: 'gt-point-target', interactive: false}).addTo(map);
      return true;
    }
    return false;
  }
  function hash(map) {
    go(map);
    window.addEventListener('hashchange', function () { go(map); });
  }
  return {options: options, ready: ready, hash: hash, fit: fit, findings: findings, box: box, banner: banner, search: search, table: table, describe: describe, scale: scale, registry: registry};
})();
