// Live seats: each edition on the page listens on its own websocket and shows the
// seats, the waiting list and the enrol button label as soon as anyone enrols or
// withdraws. The server sends ready-made, translated labels, so no pluralising here.
(function () {
  "use strict";

  // 4000-4999: the application closed on purpose (4404 no such edition, 4400 the
  // server refused what it was sent): retrying would get the same answer.
  var FIRST_DELAY = 1000;
  var MAX_DELAY = 30000;

  function setText(element, text) {
    // Touch the DOM only on a real change, so the aria-live region speaks only then.
    if (element && text != null && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function show(item, data) {
    setText(item.querySelector("[data-seats-left]"), data.left_label);
    setText(item.querySelector("[data-capacity]"), data.capacity_label);
    var waiting = item.querySelector("[data-waiting]");
    if (waiting) {
      // The separator stays outside the translated label, as in the template.
      setText(waiting, "· " + data.waiting_label);
      waiting.hidden = !data.waiting;
    }
    var button = item.querySelector("[data-enrol-button]");
    if (button) {
      var label = data.left > 0 ? button.dataset.labelEnrol : button.dataset.labelWaitlist;
      setText(button, label);
    }
    item.dataset.seatsLive = "true";
  }

  function watch(item) {
    var id = item.dataset.editionId;
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var url = scheme + "//" + window.location.host + "/ws/edycje/" + id + "/";
    var delay = FIRST_DELAY;

    function connect() {
      var socket;
      try {
        socket = new WebSocket(url);
      } catch (error) {
        retry();
        return;
      }
      socket.addEventListener("open", function () {
        delay = FIRST_DELAY;
      });
      socket.addEventListener("message", function (event) {
        var data;
        try {
          data = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        if (String(data.edition) === id) {
          show(item, data);
        }
      });
      socket.addEventListener("close", function (event) {
        item.dataset.seatsLive = "false";
        if (event.code < 4000 || event.code > 4999) {
          retry();
        }
      });
    }

    function retry() {
      // Exponential backoff with jitter, so a restarted server is not hit by every
      // open page in the same instant.
      var wait = delay / 2 + Math.random() * (delay / 2);
      delay = Math.min(delay * 2, MAX_DELAY);
      window.setTimeout(connect, wait);
    }

    connect();
  }

  function start() {
    if (!("WebSocket" in window)) {
      return;
    }
    var items = document.querySelectorAll("li.edition[data-edition-id]");
    for (var i = 0; i < items.length; i += 1) {
      watch(items[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
