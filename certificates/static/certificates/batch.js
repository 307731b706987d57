// Live progress of a bulk issuance: a websocket, or polling when the socket fails.
(function () {
  "use strict";
  var box = document.querySelector(".certificate-batch");
  if (!box) return;
  var bar = document.getElementById("batch-progress");
  var form = box.querySelector("[data-start-form]");
  var labels = {};
  var template = document.getElementById("batch-labels");
  if (template) {
    template.content.querySelectorAll("[data-label]").forEach(function (el) {
      labels[el.dataset.label] = el.textContent;
    });
  }
  var socket = null;
  var pollTimer = null;
  var done = false;

  function show(p) {
    if (!p || typeof p.percent !== "number") return;
    bar.value = p.percent;
    bar.textContent = p.percent + "%";
    box.querySelector("[data-percent]").textContent = p.percent;
    box.querySelector("[data-issued]").textContent = p.issued;
    box.querySelector("[data-total]").textContent = p.total;
    box.querySelector("[data-failed]").textContent = p.failed;
    box.querySelector("[data-status-label]").textContent = labels[p.status] || p.status;
    box.dataset.status = p.status;
    if (p.status === "finished" || p.status === "failed") finish();
    // Interrupted (its worker died): the page offers "Resume" once reloaded.
    if (p.status === "interrupted") { finish(); window.location.reload(); }
  }

  function finish() {
    done = true;
    if (pollTimer) window.clearInterval(pollTimer);
    if (socket) socket.close();
    var button = form && form.querySelector("button[type=submit]");
    if (button && box.dataset.status === "finished") button.remove();
  }

  function poll() {
    if (pollTimer || done) return;
    pollTimer = window.setInterval(function () {
      fetch(box.dataset.pollUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(show)
        .catch(function () {});
    }, 1000);
  }

  // Resolves once the socket is open, or once we gave up on it and poll instead.
  function watch() {
    return new Promise(function (resolve) {
      var settled = false;
      function fallback() { if (!settled) { settled = true; box.dataset.transport = "polling"; poll(); resolve(); } }
      try {
        var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
        socket = new WebSocket(scheme + window.location.host + box.dataset.socketPath);
      } catch (e) { fallback(); return; }
      var timer = window.setTimeout(fallback, 3000);
      socket.addEventListener("open", function () { window.clearTimeout(timer); settled = true; box.dataset.transport = "socket"; resolve(); });
      socket.addEventListener("message", function (event) { show(JSON.parse(event.data)); });
      socket.addEventListener("error", function () { window.clearTimeout(timer); fallback(); });
      socket.addEventListener("close", function () { window.clearTimeout(timer); if (!done) { fallback(); } });
    });
  }

  if (box.dataset.status === "running") watch();

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      box.dataset.status = "running";
      box.querySelector("[data-status-label]").textContent = labels.running || "";
      watch().then(function () {
        return fetch(box.dataset.startUrl, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) { if (p) show(p); if (p && p.status === "running") poll(); })
        .catch(function () { poll(); });
    });
  }
})();
