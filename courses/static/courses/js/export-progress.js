// Progress of a background export: the server sends rows done and, at the end, the
// download link. Without a websocket the page still works: reload it to check.
(function () {
  "use strict";

  var box = document.querySelector("[data-export-progress]");
  if (!box || !window.WebSocket) {
    return;
  }
  var bar = box.querySelector("[data-export-bar]");
  var ready = box.querySelector("[data-export-ready]");
  var link = box.querySelector("[data-export-link]");
  var message = box.querySelector("[data-export-message]");
  var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  var socket = new WebSocket(
    scheme + "//" + window.location.host + "/ws/eksport/" + box.dataset.exportId + "/"
  );
  socket.addEventListener("message", function (event) {
    var data = JSON.parse(event.data);
    if (data.total) {
      bar.value = Math.round((100 * data.done) / data.total);
    }
    if (data.ready) {
      bar.value = 100;
      link.href = data.url;
      ready.hidden = false;
      message.textContent = data.label;
      socket.close();
    }
  });
})();
