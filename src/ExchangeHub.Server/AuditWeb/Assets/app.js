// This file is part of ExchangeHub.
//
// The privacy officer's page: reads the JSON under /audit/api/ and draws it. No framework and no build: the DOM
// API only, text always through textContent (never markup), charts as inline SVG. The page's content security
// policy allows nothing else.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const PALETTE = ["#1f5fa8", "#d9822b", "#2e8b57", "#b23a48", "#7b5ea7", "#3a9ab2", "#a0782c", "#5d6d7e", "#c2478d", "#6b8e23"];

  function byId(id) {
    return document.getElementById(id);
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, String(value));
    }
    return node;
  }

  // "2026-11-23T16:20:05.123+00:00" -> "2026-11-23 16:20" (UTC, as the hub records it).
  function time(iso) {
    if (!iso) {
      return "–";
    }
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }

  function partner(p) {
    return p ? (p.name || p.oin || "–") : "–";
  }

  async function getJson(path) {
    const response = await fetch(`/audit/api/${path}`, { headers: { Accept: "application/json" }, cache: "no-store" });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error(body && body.message ? body.message : `${path}: HTTP ${response.status}`);
    }
    return body;
  }

  function failed(sectionId, error) {
    const section = byId(sectionId);
    const message = element("p", `Could not load: ${error.message}`, "error");
    section.appendChild(message);
  }

  // ---- the log ------------------------------------------------------------------------------------------------

  function renderLog(log) {
    byId("log-origin").textContent = log.origin;
    byId("log-size").textContent = log.checkpoint.treeSize;
    byId("log-root").textContent = log.checkpoint.rootHash.slice(0, 16) + "…";
    byId("log-root").title = log.checkpoint.rootHash;
    byId("log-cosignatures").textContent = log.checkpoint.cosignatures === 0 ? "none" : log.checkpoint.cosignatures;
    byId("log-key").textContent = log.verifierKey;

    const v = log.verification;
    const status = byId("log-status");
    status.dataset.result = v.result;
    status.dataset.running = String(v.running);
    const texts = {
      pending: "Verifying the log…",
      ok: `Verified: OK. ${v.leavesRead} entries re-read; they reproduce the signed checkpoint of ${v.checkpointSize} entries.`,
      failed: `Verification FAILED: ${v.findings.length} finding(s); the first at entry ${v.findings.length ? v.findings[0].position : "?"}.`,
      error: `The log could not be verified: ${v.error}`,
    };
    status.textContent = texts[v.result] + (v.running && v.result !== "pending" ? " (verifying again…)" : "");
    byId("log-verified-at").textContent = v.finishedAt ? `${time(v.finishedAt)} UTC` : "not yet";

    const findings = byId("log-findings");
    findings.replaceChildren(...v.findings.map((f) => element("li", `${f.kind} at entry ${f.position}: ${f.detail}`)));

    // A verification reads the whole log, in the background; look again until the result of a run that started
    // after the first look is in.
    if (firstFinishedAt === undefined) {
      firstFinishedAt = v.finishedAt;
    }
    if (v.running && v.finishedAt === firstFinishedAt) {
      setTimeout(loadLog, 1000);
    }
  }

  let firstFinishedAt;

  function loadLog() {
    return getJson("log").then(renderLog, (e) => failed("log", e));
  }

  // ---- charts -------------------------------------------------------------------------------------------------

  // A stacked bar per month, one colour per series, with a legend. Months without disclosures stay empty.
  function stackedBars(container, months, series, name, height = 280) {
    container.replaceChildren();
    const width = 880;
    const left = 44;
    const bottom = 36;
    const top = 12;
    const plotHeight = height - top - bottom;
    const plotWidth = width - left - 8;
    const totals = months.map((_, i) => series.reduce((sum, s) => sum + s.counts[i], 0));
    const max = Math.max(1, ...totals);
    const step = niceStep(max);
    const ceiling = Math.ceil(max / step) * step;
    const y = (value) => top + plotHeight - (value / ceiling) * plotHeight;

    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": name, class: "bars" });
    for (let tick = 0; tick <= ceiling; tick += step) {
      chart.appendChild(svg("line", { x1: left, x2: width - 8, y1: y(tick), y2: y(tick), class: "grid" }));
      const label = svg("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", class: "axis" });
      label.textContent = tick;
      chart.appendChild(label);
    }

    const slot = plotWidth / months.length;
    const barWidth = Math.min(48, slot * 0.7);
    months.forEach((month, i) => {
      const x = left + i * slot + (slot - barWidth) / 2;
      let base = 0;
      series.forEach((s, j) => {
        const count = s.counts[i];
        if (count > 0) {
          const rect = svg("rect", { x, y: y(base + count), width: barWidth, height: y(base) - y(base + count), fill: colour(s, j) });
          const tip = svg("title");
          tip.textContent = `${s.label}, ${month}: ${count}`;
          rect.appendChild(tip);
          chart.appendChild(rect);
          base += count;
        }
      });
      if (totals[i] > 0) {
        const total = svg("text", { x: x + barWidth / 2, y: y(totals[i]) - 3, "text-anchor": "middle", class: "value" });
        total.textContent = totals[i];
        chart.appendChild(total);
      }
      const label = svg("text", { x: x + barWidth / 2, y: height - bottom + 16, "text-anchor": "middle", class: "axis" });
      label.textContent = month;
      chart.appendChild(label);
    });
    container.appendChild(chart);

    const legend = element("ul", null, "legend");
    series.forEach((s, j) => {
      const item = element("li");
      const swatch = element("span", null, "swatch");
      swatch.style.background = colour(s, j);
      item.append(swatch, element("span", `${s.label} (${s.total})`));
      legend.appendChild(item);
    });
    if (series.length === 0) {
      legend.appendChild(element("li", "No disclosures in this period."));
    }
    container.appendChild(legend);
  }

  function colour(series, index) {
    return series.color || PALETTE[index % PALETTE.length];
  }

  function niceStep(max) {
    const rough = max / 5;
    const power = Math.pow(10, Math.floor(Math.log10(Math.max(rough, 1))));
    const steps = [1, 2, 5, 10].map((m) => m * power);
    return steps.find((s) => s >= rough) || power * 10;
  }

  // The figures behind a chart, as a table: one row per series, one column per month, and the total.
  function figuresTable(table, months, series, heading) {
    const head = element("thead");
    const headRow = element("tr");
    headRow.appendChild(element("th", heading));
    months.forEach((m) => headRow.appendChild(element("th", m)));
    headRow.appendChild(element("th", "Total"));
    head.appendChild(headRow);

    const body = element("tbody");
    series.forEach((s) => {
      const row = element("tr");
      row.dataset.key = s.key;
      row.appendChild(element("th", s.label));
      s.counts.forEach((count, i) => {
        const cell = element("td", count === 0 ? "" : count);
        cell.dataset.month = months[i];
        row.appendChild(cell);
      });
      row.appendChild(element("td", s.total, "total"));
      body.appendChild(row);
    });
    table.replaceChildren(head, body);
  }

  function renderDisclosures(figures) {
    byId("period").textContent = `${figures.months[0]} up to and including ${figures.months[figures.months.length - 1]}`;
    byId("snapshot").textContent = figures.logSize;
    byId("total-allowed").textContent = figures.allowed;
    byId("total-denied").textContent = figures.denied;
    const charts = [
      ["basis", figures.byLegalBasis, "Legal basis", "Disclosures per legal basis, per month"],
      ["recipient", figures.byRecipient, "Receiving partner", "Disclosures per receiving partner, per month"],
      ["sender", figures.bySender, "Disclosing partner", "Disclosures per disclosing partner, per month"],
    ];
    for (const [id, series, heading, name] of charts) {
      stackedBars(byId(`chart-${id}`), figures.months, series, name);
      figuresTable(byId(`table-${id}`), figures.months, series, heading);
    }
    renderDenials(figures);
  }

  function renderDenials(figures) {
    const denials = [{ key: "DENIED", label: "Denied", color: "#b23a48", counts: figures.deniedPerMonth, total: figures.denied }];
    stackedBars(byId("chart-denials"), figures.months, figures.denied === 0 ? [] : denials, "Denials per month", 180);
    byId("denials-summary").textContent = figures.denied === 0
      ? "No disclosure was denied in this period."
      : `${figures.denied} denied in this period; the latest ${figures.latestDenials.length}, newest first:`;
    const rows = figures.latestDenials.map((d) => {
      const row = element("tr");
      row.dataset.sequence = d.sequence;
      row.dataset.reason = d.reasonId;
      const reason = element("td");
      reason.append(element("strong", d.reasonId), element("span", d.reason.slice(d.reasonId.length + 1)));
      row.append(element("td", d.sequence), element("td", time(d.recordedAt)), element("td", partner(d.sender)), element("td", partner(d.recipient)),
        element("td", d.messageType), element("td", d.legalBasis), element("td", d.purpose), reason);
      return row;
    });
    byId("table-denials").tBodies[0].replaceChildren(...rows);
  }

  function renderNotices(outstanding) {
    byId("total-outstanding").textContent = outstanding.notices.length;
    byId("notices-summary").textContent = outstanding.notices.length === 0
      ? `No end-of-detention notice is outstanding. Open alarms in all: ${outstanding.openAlarms}.`
      : `${outstanding.notices.length} open alarm(s) of end-of-detention notices (open alarms in all: ${outstanding.openAlarms}).`;
    const rows = outstanding.notices.map((n) => {
      const row = element("tr");
      row.dataset.kind = n.kind;
      row.append(element("td", time(n.raisedAt)), element("td", n.kind), element("td", n.messageId, "id"),
        element("td", partner(n.sender)), element("td", partner(n.recipient)), element("td", time(n.deadline)), element("td", n.detail));
      return row;
    });
    byId("table-notices").tBodies[0].replaceChildren(...rows);
  }

  async function load() {
    const loaded = byId("loaded");
    // The log last: showing the denials is logged, and the checkpoint then covers that record too.
    const results = await Promise.allSettled([
      getJson("session").then((s) => { loaded.dataset.viewer = s.partner.oin; return s; }),
      getJson("disclosures").then(renderDisclosures, (e) => failed("totals", e)).then(loadLog),
      getJson("notices").then(renderNotices, (e) => failed("notices", e)),
    ]);
    const session = results[0].status === "fulfilled" ? results[0].value : null;
    loaded.textContent = `Figures of ${time(new Date().toISOString())} UTC` + (session ? `, for ${session.partner.name}.` : ".");
    loaded.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", load);
})();
