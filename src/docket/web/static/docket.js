// Docket's pages work without JavaScript; this only adds the map (Leaflet) where a page has one.
// Markers come from a JSON script block written by the server; they are drawn whether or not the
// tile server answers, so the places are visible offline too.
(function () {
  function initMap() {
    var el = document.getElementById("map");
    var data = document.getElementById("map-data");
    if (!el || !data || typeof L === "undefined") return;
    var points = JSON.parse(data.textContent || "[]").filter(function (p) { return p.lat !== null && p.lon !== null; });
    var map = L.map(el, { worldCopyJump: true });
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
    }
    var bounds = [];
    points.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], { radius: p.main ? 9 : 6, weight: 2, color: p.main ? "#a3201a" : "#1c5d99", fillOpacity: 0.6 });
      var label = document.createElement("span");
      label.textContent = p.label;  // a DOM node, never HTML: place names and claims are untrusted text
      m.bindPopup(label);
      m.addTo(map);
      m.getElement && m.getElement() && m.getElement().setAttribute("data-place", p.id);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 9);
    else if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 10 });
    else map.setView([40.2, 46.2], 6);
    el.setAttribute("data-markers", String(points.length));
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
