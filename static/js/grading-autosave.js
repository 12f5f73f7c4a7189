// Autosave of the branch secretary's annex forms (附件1–3) and their live totals. No inline scripts (CSP).
//
// A form with [data-autosave] posts itself through htmx a moment after each change; the server answers with a
// status line and, when the save went through, the new hidden version (out-of-band swap). A stale page gets the
// server's refusal in red and keeps its version, so it never overwrites newer data. When the session has timed
// out, htmx follows the redirect to the login page: that answer lacks the X-Autosave header, so it is not shown;
// the page stays as it is and says how to go on. After logging in again elsewhere, the CSRF token has changed:
// it is fetched again before the next save.
(function () {
  "use strict";

  var TIMEOUT_MESSAGE = "登录已超时,请在新窗口登录后再保存;本页内容未丢失";
  var sessionLost = false;
  var dirty = false;
  // One version chain per page: an explicit 保存 waits for the autosave on its way and then carries the version
  // that autosave got back, so the page's own autosave never counts as a conflict.
  var inFlight = 0;
  var submitting = false;
  var waiters = [];

  function whenIdle(fn) { if (inFlight === 0) { fn(); } else { waiters.push(fn); } }
  function settle() {
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0) { var ws = waiters; waiters = []; ws.forEach(function (w) { w(); }); }
  }

  function forms() { return document.querySelectorAll("form[data-autosave]"); }

  function showStatus(form, text, isError) {
    var line = form.querySelector("#sa-status");
    if (!line) { return; }
    line.textContent = "";
    var span = document.createElement("span");
    span.className = "sa-status " + (isError ? "sa-status-error" : "small muted");
    span.setAttribute("role", isError ? "alert" : "status");
    span.textContent = text;
    line.appendChild(span);
    if (isError && sessionLost) {
      var link = document.createElement("a");
      link.href = "/accounts/login/";
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "在新窗口登录";
      line.appendChild(document.createTextNode(" "));
      line.appendChild(link);
    }
  }

  // htmx 2 fires beforeSwap on the swap target (the status line inside the form); the request's element is in
  // requestConfig. Either way, the autosave form is the closest one.
  function sourceForm(event) {
    var d = event.detail || {};
    var el = (d.requestConfig && d.requestConfig.elt) || d.elt || event.target;
    return el && el.closest ? el.closest("form[data-autosave]") : null;
  }

  function isAutosaveAnswer(xhr) { return !!(xhr && xhr.getResponseHeader("X-Autosave")); }

  // Fetch the page again to learn the current CSRF token (it changes when one logs in again).
  function refreshToken() {
    return fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("input[name=csrfmiddlewaretoken]");
        var headers = doc.body && doc.body.getAttribute("hx-headers");
        if (headers) { document.body.setAttribute("hx-headers", headers); }
        if (fresh) {
          document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (i) { i.value = fresh.value; });
        }
        // still on the login page: the session is not back yet
        return !doc.querySelector("form[data-autosave]");
      });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = sourceForm(event);
    if (!form) { return; }
    var xhr = event.detail.xhr;
    if (isAutosaveAnswer(xhr)) {
      sessionLost = false;
      if (xhr.getResponseHeader("X-Autosave") === "ok") { dirty = false; }
      return;
    }
    event.detail.shouldSwap = false;
    event.detail.isError = false;
    if (xhr.status === 403 && !form.dataset.retried) {
      // after a login elsewhere the page's CSRF token is stale: fetch a fresh one and save again, once
      form.dataset.retried = "1";
      refreshToken().then(function (stillOut) {
        if (stillOut) { sessionLost = true; showStatus(form, TIMEOUT_MESSAGE, true); return; }
        window.htmx.trigger(form, "change");
      });
      return;
    }
    if (xhr.status === 403) {
      showStatus(form, "自动保存被拒绝:您没有修改这份材料的权限,或登录已变更。本页内容未丢失,请刷新后再试。", true);
    } else if (xhr.status === 200 && /\/accounts\/login\//.test(xhr.responseURL || "")) {
      sessionLost = true;
      showStatus(form, TIMEOUT_MESSAGE, true);
    } else {
      showStatus(form, "自动保存失败(" + xhr.status + "),本页内容未丢失,请稍后点“保存”。", true);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!sourceForm(event)) { return; }
    if (submitting) { event.preventDefault(); return; }  // the full save sends everything: no autosave after it
    inFlight += 1;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = sourceForm(event);
    if (form && isAutosaveAnswer(event.detail.xhr)) { delete form.dataset.retried; }
    // the out-of-band swap of the new version has happened by now (afterSwap precedes afterRequest)
    if (form) { settle(); }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var form = sourceForm(event);
    if (form) {
      showStatus(form, "网络连接中断,自动保存未完成;本页内容未丢失,恢复连接后会继续保存。", true);
    }
  });

  // Unsaved typing is not lost to a careless click away; the full "保存" button refreshes a stale token first.
  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("form[data-autosave]")) { dirty = true; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-autosave]")) { return; }
    if (!sessionLost && (inFlight > 0 || submitting)) {
      // an autosave is on its way: wait for its answer (and its new version), then send the full save
      event.preventDefault();
      if (submitting) { return; }
      submitting = true;
      showStatus(form, "正在保存…", false);
      whenIdle(function () { dirty = false; form.submit(); });
      return;
    }
    submitting = true;
    if (sessionLost) {
      submitting = false;
      event.preventDefault();
      refreshToken().then(function (stillOut) {
        if (stillOut) { showStatus(form, TIMEOUT_MESSAGE, true); return; }
        sessionLost = false;
        dirty = false;
        form.submit();
      });
      return;
    }
    dirty = false;
  });

  // --- Live totals ----------------------------------------------------------------------------------------

  function num(input) {
    var v = parseFloat(input.value);
    return isNaN(v) ? 0 : v;
  }

  function updateTally(table) {
    var cols = ["attendees", "good", "fairly_good", "average", "poor"];
    var totals = { attendees: 0, good: 0, fairly_good: 0, average: 0, poor: 0 };
    table.querySelectorAll("tr[data-tally-row]").forEach(function (row) {
      var cast = 0;
      var attendees = 0;
      cols.forEach(function (col) {
        var input = row.querySelector("input[data-tally='" + col + "']");
        var n = input ? num(input) : 0;
        totals[col] += n;
        if (col === "attendees") { attendees = n; } else { cast += n; }
      });
      var out = row.querySelector("[data-row-cast]");
      if (out) { out.textContent = String(cast); }
      row.classList.toggle("sa-over", cast > attendees);
    });
    var ballots = totals.good + totals.fairly_good + totals.average + totals.poor;
    cols.forEach(function (col) {
      var cell = table.querySelector("[data-total='" + col + "']");
      if (cell) { cell.textContent = String(totals[col]); }
      var share = table.querySelector("[data-share='" + col + "']");
      if (share) { share.textContent = (ballots ? (Math.round(totals[col] * 1000 / ballots) / 10).toFixed(1) : "0.0") + "%"; }
    });
    var b = table.querySelector("[data-total='ballots']");
    if (b) { b.textContent = String(ballots); }
  }

  function bandOf(total, bands) {
    for (var i = 0; i < bands.length; i++) { if (total >= bands[i][0]) { return bands[i][1]; } }
    return "";
  }

  function updateScores(form) {
    var total = 0;
    form.querySelectorAll("input[data-score]").forEach(function (input) { total += num(input); });
    total = Math.round(total * 10) / 10;
    form.querySelectorAll("[data-score-total]").forEach(function (out) { out.textContent = String(total); });
    var select = form.querySelector("select[data-bands]");
    if (!select) { return; }
    var bands = select.getAttribute("data-bands").split(",").map(function (p) {
      var kv = p.split(":");
      return [parseFloat(kv[0]), kv[1]];
    });
    var band = total > 0 ? bandOf(total, bands) : "";
    // follow the band only while the committee has not chosen another grade
    if (select.value === "" || select.value === select.dataset.lastBand) { select.value = band; }
    select.dataset.lastBand = band;
  }

  function init() {
    document.querySelectorAll("table[data-tally-table]").forEach(function (table) {
      updateTally(table);
      table.addEventListener("input", function () { updateTally(table); });
    });
    forms().forEach(function (form) {
      if (!form.hasAttribute("data-score-form")) { return; }
      var select = form.querySelector("select[data-bands]");
      if (select) { select.dataset.lastBand = select.getAttribute("data-initial-band") || ""; }
      form.addEventListener("input", function (event) {
        if (event.target.matches("input[data-score]")) { updateScores(form); }
      });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
