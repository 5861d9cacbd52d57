// Map: located events on a plain longitude/latitude plane, sized by the number killed.
"use strict";

(function () {
  const dw = window.dyadwatch;

  async function draw() {
    const box = document.getElementById("map");
    // The page's trusted-events filters (min_confidence, date_basis) go with every call.
    const query = new URLSearchParams(box.dataset.scope || "");
    if (box.dataset.plover) query.set("plover", box.dataset.plover);
    let points;
    try {
      points = (await dw.getJSON(`/map/points?${query}`)).points;
    } catch (error) {
      dw.setStatus("map-status", error.message);
      return;
    }
    const byType = {};
    for (const point of points) {
      const type = point.plover_type || "other";
      (byType[type] = byType[type] || []).push(point);
    }
    const traces = Object.entries(byType).map(([type, rows]) => ({
      type: "scatter", mode: "markers", name: type,
      x: rows.map((p) => p.lon), y: rows.map((p) => p.lat),
      customdata: rows.map((p) => p.id),
      text: rows.map((p) => `${p.date || ""} ${p.place || ""}: ${p.source || "?"}→${p.target || "?"} ` +
        `${p.cameo}${p.killed_max ? `, up to ${p.killed_max} killed` : ""}`),
      hoverinfo: "text",
      marker: { size: rows.map((p) => 8 + 4 * Math.sqrt(p.killed_max || 0)), opacity: 0.7 },
    }));
    await Plotly.newPlot(box, traces, {
      title: `${points.length} located events`,
      xaxis: { title: "longitude", range: [-180, 180], zeroline: false },
      yaxis: { title: "latitude", range: [-90, 90], zeroline: false, scaleanchor: "x" },
      hovermode: "closest", margin: { t: 50, r: 20, b: 50, l: 60 },
    }, { displaylogo: false, responsive: true });
    box.on("plotly_click", (event) => {
      window.location.assign(`/ui/events/${encodeURIComponent(event.points[0].customdata)}`);
    });
    dw.setStatus("map-status", points.length ? "" : "No located events.");
    box.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
