// Dyad explorer: the dyad's monthly level, its lows and changepoints; a click opens that month's events.
"use strict";

(function () {
  const dw = window.dyadwatch;
  const DATE_KEYS = ["period", "month", "date", "start", "when"];
  const VALUE_KEYS = ["net_coop", "net_cooperation", "index", "goldstein_mean", "goldstein_sum", "value", "events"];

  function monthBounds(day) {
    const [year, month] = day.slice(0, 10).split("-").map(Number);
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const pad = (n) => String(n).padStart(2, "0");
    return [`${year}-${pad(month)}-01`, `${year}-${pad(month)}-${pad(last)}`];
  }

  async function optional(url) {
    try {
      return (await dw.getJSON(url)).result;
    } catch (error) {
      return null;
    }
  }

  function lowMarkers(lows, seriesX, seriesY) {
    const rows = dw.rowsOf(lows, ["lows", "findings", "rows"]);
    const x = [], y = [], text = [];
    for (const row of rows) {
      const key = dw.firstKey(row, DATE_KEYS.concat(["at", "period_start"]));
      if (!key) continue;
      const day = String(row[key]).slice(0, 10);
      const i = seriesX.findIndex((value) => value.slice(0, 7) === day.slice(0, 7));
      if (i < 0) continue;
      x.push(seriesX[i]);
      y.push(seriesY[i]);
      text.push(row.statement || row.text || row.kind || "low");
    }
    return { x, y, text, rows };
  }

  function shiftShapes(shifts) {
    const rows = dw.rowsOf(shifts, ["shifts", "changepoints", "rows"]);
    return rows
      .map((row) => row[dw.firstKey(row, DATE_KEYS.concat(["at", "changepoint"]))])
      .filter(Boolean)
      .map((day) => ({
        type: "line", xref: "x", yref: "paper", x0: String(day).slice(0, 10),
        x1: String(day).slice(0, 10), y0: 0, y1: 1, line: { dash: "dash", color: "#7a4bd1" },
      }));
  }

  function listStatements(rows) {
    const list = document.getElementById("statements");
    for (const row of rows) {
      const text = row.statement || row.text;
      if (!text) continue;
      const item = document.createElement("li");
      item.textContent = text; // textContent: never parsed as HTML
      list.appendChild(item);
    }
  }

  async function draw() {
    const chart = document.getElementById("chart");
    const a = chart.dataset.a, b = chart.dataset.b;
    const base = `/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
    let series;
    try {
      series = dw.rowsOf((await dw.getJSON(`${base}/series?freq=M`)).result, ["series", "rows"]);
    } catch (error) {
      dw.setStatus("chart-status", error.message);
      return;
    }
    if (!series.length) {
      dw.setStatus("chart-status", `No dated events between ${a} and ${b}.`);
      return;
    }
    const xKey = dw.firstKey(series[0], DATE_KEYS);
    const yKey = dw.firstKey(series[0], VALUE_KEYS);
    const x = series.map((row) => String(row[xKey]).slice(0, 10));
    const y = series.map((row) => row[yKey]);
    const [lows, shifts] = await Promise.all([optional(`${base}/lows`), optional(`${base}/shifts`)]);
    const low = lowMarkers(lows, x, y);
    const traces = [
      { x, y, type: "scatter", mode: "lines+markers", name: yKey, marker: { size: 9 } },
      { x: low.x, y: low.y, text: low.text, type: "scatter", mode: "markers", name: "low",
        marker: { symbol: "triangle-down", size: 16, color: "#c62828" } },
    ];
    const layout = {
      title: `${a}–${b}: ${yKey} by month`, shapes: shiftShapes(shifts),
      xaxis: { title: "month" }, yaxis: { title: yKey }, hovermode: "closest",
      margin: { t: 50, r: 20, b: 50, l: 60 },
    };
    await Plotly.newPlot(chart, traces, layout, { displaylogo: false, responsive: true });
    chart.on("plotly_click", (event) => {
      const [since, until] = monthBounds(String(event.points[0].x));
      const query = new URLSearchParams({ dyad: `${a},${b}`, since, until, order: "asc" });
      window.location.assign(`/ui/events?${query}`);
    });
    listStatements(low.rows);
    dw.setStatus("chart-status", lows === null ? "Lows and changepoints are not available." : "");
    chart.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
