// Overview: the "relationships at a low now" table, fetched from GET /dyads/lows so the
// page itself never waits on the ranking (it reads every dyad's history).
"use strict";

(function () {
  const dw = window.dyadwatch;
  const SHOWN = 10;
  const fixed = (value) => (value === null || value === undefined ? "—" : Number(value).toFixed(2));

  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = text; // textContent: never parsed as HTML
    row.appendChild(td);
    return td;
  }

  function dyadLink(dyad) {
    const [a, b] = dyad.split("–");
    const link = document.createElement("a");
    link.href = `/ui/dyad?${new URLSearchParams({ a, b })}`;
    link.textContent = dyad;
    return link;
  }

  function fill(table, ranked) {
    const body = table.querySelector("tbody");
    for (const found of ranked) {
      const row = document.createElement("tr");
      if (found.at_low) row.className = "at-low-now";
      cell(row, "").appendChild(dyadLink(found.dyad));
      cell(row, String(found.events));
      cell(row, `${fixed(found.net_coop)} [${fixed(found.low)}, ${fixed(found.high)}]`);
      cell(row, `${fixed(found.baseline)} over ${found.history_periods} months`);
      cell(row, fixed(found.z));
      cell(row, found.at_low ? "at a low" : "");
      body.appendChild(row);
    }
  }

  async function rank() {
    const table = document.getElementById("at-low");
    if (!table) return;
    const query = new URLSearchParams({
      since: table.dataset.since, until: table.dataset.until, limit: String(SHOWN),
    });
    try {
      const ranked = (await dw.getJSON(`/dyads/lows?${query}`)).result;
      fill(table, ranked);
      const low = ranked.filter((found) => found.at_low).length;
      dw.setStatus("at-low-status", ranked.length
        ? `${low} of the ${ranked.length} lowest-ranked pairs at a low.`
        : "No pair has enough events in this window and enough history before it.");
    } catch (error) {
      dw.setStatus("at-low-status", error.message);
    }
    table.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", rank);
})();
