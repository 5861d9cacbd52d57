// Shared helpers for the dashboard charts. No inline script: the page's CSP allows 'self' only.
"use strict";

window.dyadwatch = (function () {
  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) {
      const error = body && body.error ? body.error : { code: "?", message: response.statusText };
      throw new Error(error.message);
    }
    return body;
  }

  // Rows of an analytics result: a list of rows, or the first list found inside an object.
  function rowsOf(result, preferred) {
    if (Array.isArray(result)) return result;
    if (result && typeof result === "object") {
      for (const key of preferred || []) {
        if (Array.isArray(result[key])) return result[key];
      }
      for (const value of Object.values(result)) {
        if (Array.isArray(value)) return value;
      }
    }
    return [];
  }

  function firstKey(row, keys) {
    return keys.find((key) => row && row[key] !== undefined && row[key] !== null);
  }

  function setStatus(id, text) {
    const element = document.getElementById(id);
    if (element) element.textContent = text;
  }

  return { getJSON, rowsOf, firstKey, setStatus };
})();
