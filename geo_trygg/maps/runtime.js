// geo_trygg map runtime: popups, tooltips, legends, banner and search built with
// textContent from JSON data (see geo_trygg/maps/_runtime.py).
var geoTrygg = (function () {
  'use strict';
  var registry = Object.create(null);
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
        if (spec.popup) {
          layer.bindPopup(function () { return table(titleOf(spec, p), p, spec.popup, spec); }, {maxWidth: 360});
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
  function box(map, spec) {
    var ctl = L.control({position: spec.position});
    ctl.onAdd = function () {
      var div = el('div', 'gt-box ' + (spec.cls || ''));
      if (spec.title) { div.appendChild(el('div', 'gt-box-title', spec.title)); }
      (spec.lines || []).forEach(function (line) { div.appendChild(el('div', 'gt-box-line', line)); });
      (spec.sections || []).forEach(function (section) {
        if (section.title) { div.appendChild(el('div', 'gt-box-subtitle', section.title)); }
        (section.rows || []).forEach(function (row) {
          var r = el('div', 'gt-row');
          var key = el('span', 'gt-key gt-key-' + lookup(spec.key_kinds, row.kind, 'fill'));
          if (row.colour) { key.style.background = row.kind === 'line' ? 'transparent' : row.colour; key.style.borderColor = row.colour; }
          if (row.dash) { key.style.borderStyle = lookup(spec.dashes, row.dash, 'solid'); }
          if (row.icon) { key.appendChild(el('i', 'fa-solid fa-' + lookup(spec.icons, row.icon, 'circle'))); }
          r.appendChild(key);
          r.appendChild(el('span', 'gt-label', row.label));
          div.appendChild(r);
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
  return {options: options, box: box, banner: banner, search: search, table: table, describe: describe, scale: scale, registry: registry};
})();
