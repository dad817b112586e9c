// The console's script: every change goes to the REST API with the session's CSRF token; errors
// are shown next to the field they name. No inline script anywhere (the content security policy).
(function () {
  "use strict";
  const meta = (n) => { const m = document.querySelector('meta[name="' + n + '"]'); return m ? m.content : ""; };
  const base = meta("base-path");

  /** Calls the REST API; resolves to the parsed JSON (or null), rejects with the JSON error. */
  async function api(method, path, body) {
    const headers = { "Accept": "application/json" };
    const csrf = meta("csrf-token");
    if (csrf) headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(base + path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : (typeof body === "string" ? body : JSON.stringify(body)),
    });
    const text = await r.text();
    const json = text ? JSON.parse(text) : null;
    if (!r.ok) throw Object.assign(new Error((json && json.message) || r.statusText), { status: r.status, json });
    return json;
  }
  window.platformApi = api;

  function flash(text, kind) {
    const f = document.getElementById("flash");
    if (!f) return;
    f.textContent = text;
    f.className = kind || "error";
  }
  window.platformFlash = flash;

  /** Shows an error next to the field it names ([data-field-error="name"]), else in the flash. */
  function showError(scope, e) {
    scope.querySelectorAll("[data-field-error]").forEach((el) => (el.textContent = ""));
    const j = e.json || {};
    const problems = j.problems || [];
    let shown = false;
    if (j.field) {
      const el = scope.querySelector('[data-field-error="' + j.field + '"]');
      if (el) { el.textContent = j.message; shown = true; }
    }
    if (problems.length) {
      const el = scope.querySelector('[data-field-error="problems"]');
      if (el) {
        el.replaceChildren(...problems.map((p) => { const li = document.createElement("li"); li.textContent = p; return li; }));
        shown = true;
      }
    }
    if (!shown) flash((j.error ? j.error + ": " : "") + e.message);
  }
  window.platformShowError = showError;

  // Buttons that call the API: data-api="POST /api/v1/..." [data-body='{"json":1}'] [data-confirm]
  // [data-then="reload"|"goto:<path from JSON field>"]
  document.addEventListener("click", async (ev) => {
    // a click inside a form[data-api] is the form's (its submit handler below sends its body)
    const btn = ev.target.closest("[data-api]");
    if (btn && btn.tagName !== "FORM") {
      ev.preventDefault();
      if (btn.dataset.confirm && !window.confirm(btn.dataset.confirm)) return;
      const [method, path] = btn.dataset.api.split(" ");
      btn.disabled = true;
      try {
        const out = await api(method, path, btn.dataset.body);
        then(btn.dataset.then, out);
      } catch (e) { showError(document, e); } finally { btn.disabled = false; }
      return;
    }
    if (ev.target.closest("[data-logout]")) {
      ev.preventDefault();
      try { await api("DELETE", "/api/v1/session"); } catch (e) { /* gone already */ }
      window.location.href = base + "/login";
    }
  });

  function then(what, out) {
    if (!what || what === "reload") { window.location.reload(); return; }
    if (what.startsWith("goto:")) {
      const [path, field] = what.substring(5).split("|");
      window.location.href = base + path.replace("{}", out && field ? out[field] : "");
      return;
    }
    if (what === "flash") { flash("Done.", "ok"); return; }
    // a result that says how it went ({ok, message}, e.g. a connection test)
    if (what === "message") { flash((out && out.message) || "Done.", out && out.ok === false ? "error" : "ok"); return; }
    if (what.startsWith("reveal:")) {
      // shows out[field] once, in the element of that id (e.g. a new token's secret)
      const [id, field] = what.substring(7).split("|");
      const el = document.getElementById(id);
      const box = el && el.closest("[data-reveal]");
      if (el) { el.value = out && field ? out[field] : ""; }
      if (box) box.hidden = false;
      if (el) el.select();
    }
  }

  // Copy buttons: data-copy="<element id>" copies that input's value.
  document.addEventListener("click", async (ev) => {
    const btn = ev.target.closest("[data-copy]");
    if (!btn) return;
    const el = document.getElementById(btn.dataset.copy);
    if (!el) return;
    el.select();
    try { await navigator.clipboard.writeText(el.value); flash("Copied.", "ok"); }
    catch (e) { flash("Press Ctrl+C (or Cmd+C) to copy the selected text.", "ok"); }
  });

  // Forms that call the API: <form data-api="POST /api/v1/..." data-then="...">; the body is the
  // form's fields as JSON, or the JSON of a textarea[data-json] as is.
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (form.id === "login") {
      ev.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      try {
        await api("POST", "/api/v1/session", data);
        window.location.href = base + (form.dataset.next || "/");
      } catch (e) {
        form.querySelector("[data-error]").textContent = e.message;
      }
      return;
    }
    if (form.dataset.upload) {
      // a file as the raw body of POST <path with {name}>; a new version if its content changed
      ev.preventDefault();
      const name = form.elements.name.value;
      const file = form.elements.file.files[0];
      const headers = { "Accept": "application/json", "Content-Type": "application/octet-stream" };
      const csrf = meta("csrf-token");
      if (csrf) headers["X-CSRF-Token"] = csrf;
      try {
        const r = await fetch(form.dataset.upload.replace("{name}", encodeURIComponent(name)),
          { method: "POST", headers, credentials: "same-origin", body: file });
        const text = await r.text();
        const json = text ? JSON.parse(text) : null;
        if (!r.ok) throw Object.assign(new Error((json && json.message) || r.statusText), { status: r.status, json });
        window.location.reload();
      } catch (e) { showError(form, e); }
      return;
    }
    if (!form.dataset.api) return;
    ev.preventDefault();
    let [method, path] = form.dataset.api.split(" ");
    const raw = form.querySelector("textarea[data-json]");
    // {name} in the path takes the value of the form's field of that name (not sent in the body)
    const inPath = new Set();
    path = path.replace(/\{([A-Za-z]+)\}/g, (m, k) => {
      inPath.add(k);
      const f = form.elements[k];
      return encodeURIComponent(f ? f.value : "");
    });
    let body;
    if (raw) body = raw.value;
    else {
      body = {};
      new FormData(form).forEach((v, k) => {
        if (v === "" || inPath.has(k)) return;
        const f = form.elements[k];
        if (f && f.type === "number") v = Number(v);
        // typed fields (alert rules and channels): a boolean select, a comma-separated list, JSON
        const type = f && f.dataset ? f.dataset.type : undefined;
        if (type === "bool") v = v === "true";
        else if (type === "list") v = v.split(",").map((x) => x.trim()).filter((x) => x);
        else if (type === "json") { try { v = JSON.parse(v); } catch (e) { /* the API names it */ } }
        if (k.startsWith("param.")) { (body.parameters = body.parameters || {})[k.substring(6)] = v; }
        else if (k.startsWith("option.")) { (body.options = body.options || {})[k.substring(7)] = v; }
        else if (f && f.multiple) { (body[k] = body[k] || []).push(v); }
        else body[k] = v;
      });
    }
    try {
      const out = await api(method, path, body);
      then(form.dataset.then, out);
    } catch (e) { showError(form, e); }
  });

  // A table that htmx refreshes keeps the <details data-key> the reader opened (the alert
  // history's deliveries): remembered before the swap, opened again after it.
  let opened = [];
  document.addEventListener("htmx:beforeSwap", () => {
    opened = Array.from(document.querySelectorAll("details[data-key][open]")).map((d) => d.dataset.key);
  });
  document.addEventListener("htmx:afterSettle", () => {
    document.querySelectorAll("details[data-key]").forEach((d) => {
      if (opened.includes(d.dataset.key)) d.open = true;
    });
  });

  document.addEventListener("change", (ev) => {
    const sel = ev.target.closest("[data-workspace-switch]");
    if (sel && sel.value) window.location.href = base + "/w/" + encodeURIComponent(sel.value) + "/";
  });
})();
