// Docket's pages work without JavaScript; this only adds the map (Leaflet) where a page has one.
// Markers come from a JSON script block written by the server. Without a tile server (the default,
// and the only way offline) the map draws its own basemap: the countries of world-atlas (Natural
// Earth, TopoJSON, from node_modules), converted by topojson-client and drawn by Leaflet as paths.
// With a tile server the tiles are the basemap and the borders are an overlay to switch on.
// A place page's map also clusters dense markers (leaflet.markercluster), filters them by the years
// of their claims, and downloads what it shows as GeoJSON.
(function () {
  var atlases = {};
  var TONES = ["#f4efe1", "#ece6d3", "#f1ebdc", "#e6e1cc", "#efe8d6", "#e9e3d0", "#f3eee0", "#e4dfc9"];  // basemap URL -> a promise of its countries as GeoJSON: read once per page

  function countries(url) {
    if (!atlases[url]) {
      atlases[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(url + " answered " + r.status);
        return r.json();
      }).then(function (topo) {
        if (!topo.objects || !topo.objects.countries) throw new Error(url + " has no countries object");
        return topojson.feature(topo, topo.objects.countries);
      });
    }
    return atlases[url];
  }

  function basemap(map, el, url, shown) {
    map.createPane("basemap");  // above tiles, below markers: see .leaflet-basemap-pane in docket.css
    var layer = L.geoJSON(null, {
      pane: "basemap", interactive: false, attribution: "Borders: Natural Earth",
      style: function (feature) {
        // neighbours told apart by muted tones picked by the country's ISO number (eight of them keep
        // Azerbaijan, Armenia, Georgia, Iran, Russia and Turkey apart)
        var n = parseInt(feature.id, 10) || 0;
        return { className: "basemap-country", color: "#8d8778", weight: 1, fillOpacity: 1,
                 fillColor: TONES[n % TONES.length] };
      },
      onEachFeature: function (feature, path) {
        path.on("add", function () {  // paths are made anew each time the layer is switched on
          var e = path.getElement();
          if (e) e.setAttribute("data-country", (feature.properties && feature.properties.name) || "");
        });
      }
    });
    if (shown) layer.addTo(map);
    countries(url).then(function (geo) {
      layer.addData(geo);
      el.classList.add("basemap-drawn");
      el.setAttribute("data-basemap-countries", String(geo.features.length));
    }).catch(function (err) {
      el.setAttribute("data-basemap-error", String(err && err.message || err));
      if (window.console) console.error("Docket: the map's borders could not be drawn: " + (err && err.message || err));
    });
    return layer;
  }

  function popup(p) {  // DOM nodes, never HTML: place names are untrusted text
    var box = document.createElement("span"), name = document.createElement("strong");
    name.textContent = p.label;
    box.appendChild(name);
    var years = p.years || [];
    if (p.claims || years.length) {
      var line = document.createElement("span");
      line.className = "popup-years";
      var when = years.length ? years[0] + (years.length > 1 ? "\u2013" + years[years.length - 1] : "") : "undated";
      if (p.since !== null && p.since !== undefined) when += ", ongoing since " + p.since;
      line.textContent = (p.claims || 0) + " claim" + (p.claims === 1 ? "" : "s") + " · " + when;
      box.appendChild(line);
    }
    return box;
  }

  function markerOf(p) {
    var m = L.circleMarker([p.lat, p.lon], { radius: p.main ? 9 : 6, weight: 2, color: p.main ? "#a3201a" : "#1c5d99", fillOpacity: 0.6 });
    m.bindPopup(popup(p));
    m.on("add", function () {
      var e = m.getElement();
      if (e) e.setAttribute("data-place", p.id);
    });
    return m;
  }

  // a place is shown when one of its claims' years lies in [from, to] (an ongoing claim lasts from its
  // first year on); a place with no dated claim when `undated` is set; the page's own place always
  function inPeriod(p, from, to, undated) {
    if (p.main) return true;
    var years = p.years || [], since = p.since;
    if (!years.length && (since === null || since === undefined)) return undated;
    if (since !== null && since !== undefined && since <= to) return true;
    return years.some(function (y) { return y >= from && y <= to; });
  }

  function asGeoJSON(points) {
    return {
      type: "FeatureCollection",
      features: points.map(function (p) {
        return {
          type: "Feature", id: p.id,
          geometry: { type: "Point", coordinates: [p.lon, p.lat] },
          properties: { id: p.id, name: p.label, main: !!p.main, claims: p.claims || 0, years: p.years || [],
                        ongoing_since: p.since === undefined ? null : p.since }
        };
      })
    };
  }

  function download(name, data) {
    var blob = new Blob([JSON.stringify(data, null, 1)], { type: "application/geo+json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  function tools(el, points, markers, group) {
    var box = document.getElementById("map-tools");
    var from = document.getElementById("map-from"), to = document.getElementById("map-to");
    var undated = document.getElementById("map-undated"), count = document.getElementById("map-count");
    var shown = points;
    function year(input, fallback) {
      var v = input ? parseInt(input.value, 10) : NaN;
      return isNaN(v) ? fallback : v;
    }
    function apply() {
      var a = year(from, -Infinity), b = year(to, Infinity), u = !undated || undated.checked;
      shown = points.filter(function (p) { return inPeriod(p, a, b, u); });
      var others = shown.filter(function (p) { return !p.main; }).map(function (p) { return markers[p.id]; });
      group.clearLayers();
      if (group.addLayers) group.addLayers(others); else others.forEach(function (m) { group.addLayer(m); });
      el.setAttribute("data-markers", String(shown.length));
      if (count) count.textContent = shown.length + " of " + points.length + " places shown";
    }
    [from, to, undated].forEach(function (input) {
      if (input) { input.addEventListener("input", apply); input.addEventListener("change", apply); }
    });
    var button = document.getElementById("map-geojson");
    if (button) {
      button.addEventListener("click", function () {
        var subject = (el.getAttribute("data-subject") || "places").replace(/[^A-Za-z0-9._-]+/g, "-");
        var period = from && to ? "-" + year(from, "") + "-" + year(to, "") : "";
        download(subject + period + ".geojson", asGeoJSON(shown));
      });
    }
    if (box) box.hidden = false;
    apply();
  }

  function initMap() {
    var el = document.getElementById("map");
    var data = document.getElementById("map-data");
    if (!el || !data || typeof L === "undefined" || el.getAttribute("data-map") === "on") return;
    el.setAttribute("data-map", "on");
    var points = JSON.parse(data.textContent || "[]").filter(function (p) { return p.lat !== null && p.lon !== null; });
    var map = L.map(el, { worldCopyJump: true, maxZoom: 18 });  // clustering needs a maxZoom, tiles or not
    var tiles = el.getAttribute("data-tiles"), atlas = el.getAttribute("data-basemap");
    var overlays = {};
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
    }
    if (atlas && typeof topojson !== "undefined") {
      overlays["Country borders"] = basemap(map, el, atlas, !tiles);
      if (tiles) L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    }
    var group = L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false })
                                     : L.layerGroup();  // without the package: every marker, unclustered
    var markers = {};
    points.forEach(function (p) {
      markers[p.id] = markerOf(p);
      if (p.main) markers[p.id].addTo(map);  // the page's own place: never clustered nor filtered away
    });
    var bounds = points.map(function (p) { return [p.lat, p.lon]; });
    if (bounds.length === 1) map.setView(bounds[0], 9);
    else if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 10 });
    else map.setView([40.2, 46.2], 6);
    group.addTo(map);
    tools(el, points, markers, group);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initMap); else initMap();
  // a selection in the document's text becomes the span of a new claim: character offsets are counted
  // over the text nodes of #doc-text, which hold the document's text exactly
  function offsetIn(root, node, offset) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), n, total = 0;
    while ((n = walker.nextNode())) {
      if (n === node) return total + offset;
      total += n.nodeValue.length;
    }
    return -1;
  }
  document.addEventListener("selectionchange", function () {
    var root = document.getElementById("doc-text"), sel = window.getSelection();
    if (!root || !sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return;
    var start = offsetIn(root, range.startContainer, range.startOffset);
    var end = offsetIn(root, range.endContainer, range.endOffset);
    if (start < 0 || end <= start) return;
    document.getElementById("sel-start").value = start;
    document.getElementById("sel-end").value = end;
    document.getElementById("sel-quote").value = sel.toString();
  });
  // the claim panel arrives by htmx: give its small map the same treatment
  document.addEventListener("htmx:afterSwap", initMap);
})();
