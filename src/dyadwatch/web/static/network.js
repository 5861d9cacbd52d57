// Alliance network: nodes on a circle, signed edges coloured by sign, flipped edges highlighted.
"use strict";

(function () {
  const dw = window.dyadwatch;
  const A_KEYS = ["source", "a", "u", "country_a", "actor_a"];
  const B_KEYS = ["target", "b", "v", "country_b", "actor_b"];
  const W_KEYS = ["net_coop", "net_coop_after", "weight", "sign", "goldstein_mean", "value"];

  function edgesOf(result) {
    return dw.rowsOf(result, ["edges", "flips"])
      .map((row) => ({
        a: row[dw.firstKey(row, A_KEYS)],
        b: row[dw.firstKey(row, B_KEYS)],
        w: Number(row[dw.firstKey(row, W_KEYS)] || 0),
      }))
      .filter((edge) => edge.a && edge.b);
  }

  function layout(nodes) {
    const place = {};
    nodes.forEach((node, i) => {
      const angle = (2 * Math.PI * i) / nodes.length;
      place[node] = [Math.cos(angle), Math.sin(angle)];
    });
    return place;
  }

  function edgeTrace(edges, place, name, line) {
    const x = [], y = [];
    for (const edge of edges) {
      x.push(place[edge.a][0], place[edge.b][0], null);
      y.push(place[edge.a][1], place[edge.b][1], null);
    }
    return { x, y, mode: "lines", type: "scatter", name, line, hoverinfo: "skip" };
  }

  async function draw() {
    const box = document.getElementById("network");
    // The page's trusted-events filters (min_confidence, date_basis) go with every call.
    const query = new URLSearchParams(box.dataset.scope || "");
    query.set("start", box.dataset.start);
    query.set("end", box.dataset.end);
    let edges;
    try {
      edges = edgesOf((await dw.getJSON(`/alliances?${query}`)).result);
    } catch (error) {
      dw.setStatus("network-status", error.message);
      return;
    }
    let flipped = [];
    try {
      flipped = edgesOf((await dw.getJSON(`/alliances/realignments?${query}`)).result);
    } catch (error) {
      dw.setStatus("network-status", `Realignments: ${error.message}`);
    }
    const nodes = [...new Set(edges.flatMap((edge) => [edge.a, edge.b]))].sort();
    if (!nodes.length) {
      dw.setStatus("network-status", "No dyads in this window.");
      return;
    }
    const place = layout(nodes);
    const known = flipped.filter((edge) => place[edge.a] && place[edge.b]);
    const traces = [
      edgeTrace(edges.filter((e) => e.w >= 0), place, "cooperative", { color: "#2e7d32", width: 2 }),
      edgeTrace(edges.filter((e) => e.w < 0), place, "conflictual", { color: "#c62828", width: 2 }),
      edgeTrace(known, place, "flipped sign", { color: "#ff9800", width: 6, dash: "dash" }),
      { x: nodes.map((n) => place[n][0]), y: nodes.map((n) => place[n][1]), text: nodes,
        mode: "markers+text", textposition: "top center", type: "scatter", name: "actors",
        marker: { size: 14, color: "#142235" } },
    ];
    const hidden = { visible: false, range: [-1.3, 1.3] };
    await Plotly.newPlot(box, traces, {
      title: `Signed network ${box.dataset.start} – ${box.dataset.end}`,
      xaxis: hidden, yaxis: { ...hidden, scaleanchor: "x" }, hovermode: "closest",
      margin: { t: 50, r: 20, b: 20, l: 20 },
    }, { displaylogo: false, responsive: true });
    box.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
