// Dyad explorer: the dyad's monthly net cooperation with its 90% band, the lows,
// highs and changepoints the calibrated tests find; a click opens that month's events.
"use strict";

(function () {
  const dw = window.dyadwatch;
  const METRICS = ["net_coop", "goldstein_mean"];
  const NAMES = { net_coop: "net cooperation", goldstein_mean: "mean Goldstein" };
  const MARKS = {
    low: { symbol: "triangle-down", color: "#c62828", name: "low (calibrated test)" },
    high: { symbol: "triangle-up", color: "#2e7d32", name: "high (calibrated test)" },
  };

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

  const fixed = (value) => (value === null || value === undefined ? "—" : Number(value).toFixed(2));

  // The estimate and its band; the band is two lines, the lower filled up to the upper.
  function bandTraces(series, x, metric) {
    const low = series.map((row) => row[`${metric}_low`]);
    const high = series.map((row) => row[`${metric}_high`]);
    const est = series.map((row) => row[`${metric}_est`]);
    const custom = series.map((row, i) => [fixed(low[i]), fixed(high[i]), row.events, fixed(row[metric])]);
    const edge = { x, type: "scatter", mode: "lines", line: { width: 0, color: "#1f5fa8" }, hoverinfo: "skip" };
    return [
      { ...edge, y: high, name: "90% interval", showlegend: false, legendgroup: "band" },
      { ...edge, y: low, name: "90% interval", fill: "tonexty", fillcolor: "rgba(31,95,168,0.18)",
        legendgroup: "band" },
      { x, y: est, customdata: custom, type: "scatter", mode: "lines", name: "estimate",
        line: { color: "#1f5fa8", width: 2 },
        hovertemplate: "%{x|%Y-%m}: estimate %{y:.2f} [%{customdata[0]}, %{customdata[1]}] (90%)"
          + "<br>%{customdata[2]} events, raw %{customdata[3]}<extra></extra>" },
    ];
  }

  // The raw monthly values, one marker per month with events, sized by the count.
  function rawTrace(series, x, metric) {
    const kept = series.map((row, i) => [row, x[i]]).filter(([row]) => row.events > 0 && row[metric] !== null);
    return {
      x: kept.map(([, day]) => day), y: kept.map(([row]) => row[metric]),
      customdata: kept.map(([row]) => row.events), type: "scatter", mode: "markers",
      name: "month (raw)", marker: { color: "#555", opacity: 0.7,
        size: kept.map(([row]) => Math.max(5, Math.min(16, 4 + 2 * Math.sqrt(row.events)))) },
      hovertemplate: "%{x|%Y-%m}: %{y:.2f} on %{customdata} events<extra></extra>",
    };
  }

  // Findings where the series has the month, drawn at the finding's value with its 90% bounds.
  function findingTrace(findings, kind, x) {
    const rows = findings.filter((row) => row.kind === kind && x.includes(String(row.period).slice(0, 10)));
    const value = (row) => row.value;
    return {
      x: rows.map((row) => String(row.period).slice(0, 10)), y: rows.map(value),
      text: rows.map((row) => row.text), customdata: rows.map((row) => [row.events, fixed(row.z)]),
      type: "scatter", mode: "markers", name: MARKS[kind].name,
      marker: { symbol: MARKS[kind].symbol, size: 15, color: MARKS[kind].color },
      error_y: { type: "data", symmetric: false, color: MARKS[kind].color,
        array: rows.map((row) => (row.high ?? row.value) - row.value),
        arrayminus: rows.map((row) => row.value - (row.low ?? row.value)) },
      hovertemplate: "%{text}<br>%{customdata[0]} events, z %{customdata[1]}<extra></extra>",
    };
  }

  function shiftShapes(shifts) {
    return shifts.map((row) => String(row.period).slice(0, 10)).map((day) => ({
      type: "line", xref: "x", yref: "paper", x0: day, x1: day, y0: 0, y1: 1,
      line: { dash: "dash", color: "#7a4bd1" },
    }));
  }

  function listStatements(findings) {
    const list = document.getElementById("statements");
    list.replaceChildren();
    for (const row of findings) {
      if (!row.text) continue;
      const item = document.createElement("li");
      item.className = `finding ${row.kind}`;
      item.textContent = row.text; // textContent: never parsed as HTML
      list.appendChild(item);
    }
  }

  function summary(findings, lowsAvailable) {
    if (!lowsAvailable) return "Lows and changepoints are not available.";
    const count = (kind, word) => {
      const n = findings.filter((row) => row.kind === kind).length;
      return `${n} ${word}${n === 1 ? "" : "s"}`;
    };
    return `${count("low", "low")}, ${count("high", "high")}, ${count("shift", "level shift")} `
      + "found by the calibrated tests; months on too few events are never marked.";
  }

  async function draw() {
    const chart = document.getElementById("chart");
    const a = chart.dataset.a, b = chart.dataset.b;
    const base = `/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
    // The page's trusted-events filters (min_confidence, date_basis) go with every call.
    const scope = chart.dataset.scope ? `&${chart.dataset.scope}` : "";
    let series;
    try {
      series = dw.rowsOf((await dw.getJSON(`${base}/series?freq=M${scope}`)).result, ["series", "rows"]);
    } catch (error) {
      dw.setStatus("chart-status", error.message);
      return;
    }
    if (!series.length) {
      dw.setStatus("chart-status", `No dated events between ${a} and ${b}.`);
      return;
    }
    const metric = dw.firstKey(series.find((row) => row.events > 0) || series[0], METRICS) || "net_coop";
    const x = series.map((row) => String(row.period).slice(0, 10));
    const [lows, shifts] = await Promise.all([
      optional(`${base}/lows?kind=both${scope}`), optional(`${base}/shifts?${scope.slice(1)}`),
    ]);
    const findings = (lows || []).concat(shifts || [])
      .sort((one, other) => String(one.period).localeCompare(String(other.period)));
    const traces = series[0][`${metric}_est`] === undefined ? [] : bandTraces(series, x, metric);
    traces.push(rawTrace(series, x, metric), findingTrace(lows || [], "low", x),
      findingTrace(lows || [], "high", x));
    const layout = {
      title: `${a}–${b}: ${NAMES[metric]} by month, with its 90% interval`,
      shapes: shiftShapes(shifts || []), xaxis: { title: "month" },
      yaxis: { title: NAMES[metric], zeroline: true }, hovermode: "closest",
      legend: { orientation: "h", y: -0.18 }, margin: { t: 50, r: 20, b: 80, l: 60 },
    };
    await Plotly.newPlot(chart, traces, layout, { displaylogo: false, responsive: true });
    chart.on("plotly_click", (event) => {
      const [since, until] = monthBounds(String(event.points[0].x));
      const query = new URLSearchParams({ dyad: `${a},${b}`, since, until, order: "asc" });
      window.location.assign(`/ui/events?${query}`);
    });
    listStatements(findings);
    dw.setStatus("chart-status", summary(findings, lows !== null));
    chart.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
