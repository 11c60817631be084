/* newsmapper map page: builds every marker, region and popup from the embedded JSON.
 *
 * Data reaches the page only as JSON (script type="application/json"), parsed with
 * JSON.parse, and reaches the DOM only through textContent / createElement. Nothing
 * from the data is ever assigned to innerHTML or evaluated. Links get an href only
 * when their URL parses with an http: or https: scheme.
 */
(function () {
  "use strict";

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function isWebUrl(value) {
    if (typeof value !== "string" || value === "") { return false; }
    try {
      var protocol = new URL(value).protocol;
      return protocol === "http:" || protocol === "https:";
    } catch (e) {
      return false;
    }
  }

  // Basemap rings arrive as flat integer lists: hundredths of a degree, delta-coded.
  function decodeBasemap(polygons) {
    function ring(flat) {
      var out = [], x = 0, y = 0;
      for (var i = 0; i < flat.length; i += 2) {
        x += flat[i];
        y += flat[i + 1];
        out.push([x / 100, y / 100]);
      }
      return out;
    }
    return {type: "FeatureCollection", features: polygons.map(function (parts) {
      return {type: "Feature", properties: {}, geometry: {
        type: "MultiPolygon", coordinates: parts.map(function (p) { return p.map(ring); })}};
    })};
  }

  var data = readJson("incident-data");
  var basemapData = readJson("basemap-data");
  var basemap = basemapData ? decodeBasemap(basemapData) : null;
  var types = data.types;
  // incident record: [id, type index, lat, lon, date, quote, place, admin path index,
  //                   precision, region code, [source indices], [warning lines]]
  var F = {id: 0, type: 1, lat: 2, lon: 3, date: 4, quote: 5, place: 6, path: 7,
           precision: 8, region: 9, sources: 10, warnings: 11};

  // the map itself is made by folium's page (mapper/render.py), which hands it over here
  var map = window.__nmMap;
  map.setMinZoom(1);
  map.setMaxZoom(18);
  map.getContainer().setAttribute("role", "region");
  map.getContainer().setAttribute("aria-label", document.title);
  window.__map = map;
  map.attributionControl.addAttribution(
    "Contains data from GeoNames (www.geonames.org), CC BY 4.0; " +
    "country outlines: Natural Earth (public domain)");

  map.createPane("nm-basemap");
  map.getPane("nm-basemap").style.zIndex = 150;
  if (basemap) {
    L.geoJSON(basemap, {
      pane: "nm-basemap", interactive: false, renderer: L.canvas({pane: "nm-basemap"}),
      style: {color: "#a9a493", weight: 0.6, fillColor: "#f2efe6", fillOpacity: 1}
    }).addTo(map);
  }
  if (data.tiles) {
    L.tileLayer(data.tiles.url, {attribution: data.tiles.attribution, maxZoom: 19})
      .addTo(map);
  }

  function swatch(typeIndex, extra) {
    return el("span", "nm-swatch nm-t" + typeIndex + (extra ? " " + extra : ""));
  }

  function sourceItem(index) {
    var s = data.sources[index];  // [title, outlet, url, published, article_id]
    var li = el("li");
    var label = s[0] || s[2] || s[4] || "source";
    if (isWebUrl(s[2])) {
      var a = el("a", null, label);
      a.href = s[2];
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      li.appendChild(a);
    } else {
      li.appendChild(el("span", "nm-source-title", label));
    }
    // outlet and date each in their own element, so that one cannot reorder the other
    var meta = [s[1], s[3]].filter(function (x) { return x; });
    meta.forEach(function (part, i) {
      li.appendChild(el("span", "nm-source-sep", i === 0 ? " — " : ", "));
      li.appendChild(el("span", "nm-source-meta", part));
    });
    return li;
  }

  function warningBox(warnings) {
    var box = el("div", "nm-warning");
    box.setAttribute("role", "note");
    box.appendChild(el("strong", null, "⚠ The stated geography does not check out"));
    warnings.forEach(function (lines) {
      lines.forEach(function (line) { box.appendChild(el("div", null, line)); });
    });
    return box;
  }

  function incidentSection(rec) {
    var section = el("section", "nm-incident");
    var head = el("div", "nm-head");
    head.appendChild(swatch(rec[F.type]));
    head.appendChild(el("strong", null, types[rec[F.type]]));
    if (rec[F.date]) { head.appendChild(el("span", "nm-date", " · " + rec[F.date])); }
    section.appendChild(head);
    var names = data.paths[rec[F.path]];
    var path = names && names.length ? names.join(" › ") : rec[F.place];
    if (path) { section.appendChild(el("div", "nm-place", path)); }
    var words = data.precision[String(rec[F.precision])] || "unknown";
    section.appendChild(el("div", "nm-precision",
                           "Location precision " + rec[F.precision] + ": " + words));
    if (rec[F.quote]) { section.appendChild(el("blockquote", "nm-quote", rec[F.quote])); }
    if (rec[F.warnings] && rec[F.warnings].length) {
      section.appendChild(warningBox(rec[F.warnings]));
    }
    if (rec[F.sources].length) {
      var list = el("ul", "nm-sources");
      rec[F.sources].forEach(function (i) { list.appendChild(sourceItem(i)); });
      section.appendChild(list);
    }
    return section;
  }

  var POPUP_LIMIT = 25;

  function popupFor(records) {
    return function () {
      var box = el("div", "nm-popup");
      records.slice(0, POPUP_LIMIT).forEach(function (rec) {
        box.appendChild(incidentSection(rec));
      });
      if (records.length > POPUP_LIMIT) {
        box.appendChild(el("div", "nm-more", "… and " + (records.length - POPUP_LIMIT) +
                           " more incidents here (see the GeoJSON/CSV export)"));
      }
      return box;
    };
  }

  var popupOptions = {maxWidth: 360, maxHeight: 320, autoPanPadding: [20, 20]};

  // One overlay per event type: a layer group holding that type's region shapes; the
  // point markers of all types share one cluster group, refiltered when a type toggles.
  var groups = types.map(function () { return L.layerGroup().addTo(map); });
  var icons = {};
  function icon(typeIndex, precision, hasWarning) {
    var key = typeIndex + ":" + precision + ":" + hasWarning;
    if (!icons[key]) {
      icons[key] = L.divIcon({
        className: "nm-pin nm-t" + typeIndex + " nm-p" + precision +
                   (hasWarning ? " nm-warn" : ""),
        iconSize: [14, 14], popupAnchor: [0, -6]
      });
    }
    return icons[key];
  }

  var markers = [];
  var regionRecords = {};
  data.incidents.forEach(function (rec) {
    var region = rec[F.region];
    var hasWarning = !!(rec[F.warnings] && rec[F.warnings].length);
    if (region && data.regions[region]) {
      var key = region + "|" + rec[F.type];
      (regionRecords[key] = regionRecords[key] || []).push(rec);
      return;
    }
    if (rec[F.lat] === null || rec[F.lon] === null) { return; }
    var marker = L.marker([rec[F.lat], rec[F.lon]], {
      icon: icon(rec[F.type], rec[F.precision], hasWarning),
      title: rec[F.place] || types[rec[F.type]], nmType: rec[F.type], nmWarn: hasWarning,
      nmId: rec[F.id]
    });
    marker.bindPopup(popupFor([rec]), popupOptions);
    markers.push(marker);
  });

  var regionLayers = [];
  Object.keys(regionRecords).forEach(function (key) {
    var records = regionRecords[key];
    var typeIndex = records[0][F.type];
    var hasWarning = records.some(function (r) { return r[F.warnings] && r[F.warnings].length; });
    var layer = L.geoJSON(data.regions[records[0][F.region]], {
      style: {className: "nm-region nm-rt" + typeIndex + (hasWarning ? " nm-region-warn" : ""),
              color: data.colors[typeIndex], weight: hasWarning ? 3 : 2,
              dashArray: hasWarning ? "6 4" : null,
              fillColor: data.colors[typeIndex], fillOpacity: 0.25}
    });
    layer.bindPopup(popupFor(records), popupOptions);
    layer.addTo(groups[typeIndex]);
    regionLayers.push(layer);
  });

  var cluster = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true,
    iconCreateFunction: function (c) {
      var children = c.getAllChildMarkers();
      var count = children.length;
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var warn = children.some(function (m) { return m.options.nmWarn; });
      var inner = el("div");
      inner.appendChild(el("span", null, count));
      return L.divIcon({html: inner, iconSize: L.point(40, 40),
                        className: "marker-cluster marker-cluster-" + size +
                                   (warn ? " nm-cluster-warn" : "")});
    }
  });

  function visibleMarkers() {
    return markers.filter(function (m) { return map.hasLayer(groups[m.options.nmType]); });
  }
  function refilter() {
    cluster.clearLayers();
    cluster.addLayers(visibleMarkers());
  }
  map.on("overlayadd overlayremove", refilter);

  // Layer control labels: Leaflet writes names with innerHTML, so the names we give it
  // are bare indices and the visible label is filled in with textContent.
  var overlays = {};
  types.forEach(function (name, i) { overlays[String(i)] = groups[i]; });
  var Layers = L.Control.Layers.extend({
    _addItem: function (obj) {
      var label = L.Control.Layers.prototype._addItem.call(this, obj);
      var nameEl = label.firstChild && label.firstChild.lastChild;
      var i = Number(obj.name);
      if (nameEl && types[i] !== undefined) {
        nameEl.textContent = " ";
        nameEl.appendChild(swatch(i));
        nameEl.appendChild(document.createTextNode(types[i]));
      }
      return label;
    }
  });
  new Layers(null, overlays, {collapsed: window.innerWidth < 600}).addTo(map);

  var counts = types.map(function () { return 0; });
  data.incidents.forEach(function (rec) { counts[rec[F.type]] += 1; });
  var Legend = L.Control.extend({
    options: {position: "bottomleft"},
    onAdd: function () {
      var box = el("div", "nm-legend leaflet-bar");
      box.appendChild(el("div", "nm-legend-title", "Event types"));
      types.forEach(function (name, i) {
        var row = el("div", "nm-legend-row");
        row.appendChild(swatch(i));
        row.appendChild(el("span", null, name));  // its own element: isolated text
        row.appendChild(el("span", null, " (" + counts[i] + ")"));
        box.appendChild(row);
      });
      var keys = [["nm-pin-key nm-p1", "place named"],
                  ["nm-pin-key nm-p2", "near a place / part of a region"],
                  ["nm-pin-key nm-region-key", "region-level: whole region shaded"],
                  ["nm-pin-key nm-p1 nm-warn", "stated geography does not check out"]];
      keys.forEach(function (k) {
        var row = el("div", "nm-legend-row");
        row.appendChild(el("span", "nm-swatch " + k[0]));
        row.appendChild(el("span", null, k[1]));
        box.appendChild(row);
      });
      if (data.unmapped) {
        box.appendChild(el("div", "nm-unmapped", data.unmapped +
          " incident(s) have no coordinates and are not drawn (they are in the exports)"));
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  new Legend().addTo(map);

  var bounds = L.latLngBounds([]);
  markers.forEach(function (m) { bounds.extend(m.getLatLng()); });
  regionLayers.forEach(function (l) { bounds.extend(l.getBounds()); });
  if (bounds.isValid()) {
    // folium's map already has a view: jump to the incidents, don't animate there
    map.fitBounds(bounds, {padding: [30, 30], maxZoom: 6, animate: false});
  } else {
    map.setView([20, 0], 2, {animate: false});
  }

  cluster.addLayers(markers);
  map.addLayer(cluster);
  window.__mapCluster = cluster;
  window.__mapStats = {markers: markers.length, regions: regionLayers.length,
                       incidents: data.incidents.length, unmapped: data.unmapped};
  window.__mapReady = performance.now();
}());
