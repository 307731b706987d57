// Live seats: each edition on the page listens on its own websocket and shows the
// seats, the waiting list and the enrol button label as soon as anyone enrols or
// withdraws. The server sends ready-made, translated labels, so no pluralising here.
//
// Without its websocket (it cannot connect, it closed, or the server said 1013 "try
// again later" because Redis is down) an edition polls its JSON (data-seats-url) every
// data-seats-poll-ms, and keeps trying the websocket with backoff; once the websocket
// is open again, polling stops. Without JavaScript the page shows the seats at load.
(function () {
  "use strict";

  // 4000-4999: the application closed on purpose (4404 no such edition, 4400 the
  // server refused what it was sent): retrying would get the same answer.
  var FIRST_DELAY = 1000;
  var MAX_DELAY = 30000;
  // After "try again later" the server is up and waits for Redis: come back sooner.
  var TRY_AGAIN_LATER = 1013;
  var MAX_DELAY_TRY_AGAIN = 10000;
  var DEFAULT_POLL = 15000;

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

  function pollEvery(item) {
    var list = item.closest("[data-seats-poll-ms]");
    var every = list ? parseInt(list.dataset.seatsPollMs, 10) : NaN;
    return every > 0 ? every : DEFAULT_POLL;
  }

  function watch(item) {
    var id = item.dataset.editionId;
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var url = scheme + "//" + window.location.host + "/ws/edycje/" + id + "/";
    var jsonUrl = item.dataset.seatsUrl;
    var every = pollEvery(item);
    var delay = FIRST_DELAY;
    var live = false;
    var polling = null;

    function poll() {
      if (live || document.hidden || !window.fetch) {
        return;
      }
      window
        .fetch(jsonUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 404) {
            stopPolling(); // no such edition any more: nothing to show
            return null;
          }
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && !live && String(data.edition) === id) {
            show(item, data);
            item.dataset.seatsLive = "polling";
          }
        })
        .catch(function () {
          // The server is unreachable too: the next poll tries again.
        });
    }

    function startPolling() {
      if (polling !== null || !jsonUrl) {
        return;
      }
      poll();
      polling = window.setInterval(poll, every);
    }

    function stopPolling() {
      if (polling !== null) {
        window.clearInterval(polling);
        polling = null;
      }
    }

    function connect() {
      var socket;
      try {
        socket = new WebSocket(url);
      } catch (error) {
        startPolling();
        retry(MAX_DELAY);
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
          // The first message is the current seats: from here on the socket is live.
          live = true;
          stopPolling();
          show(item, data);
        }
      });
      socket.addEventListener("close", function (event) {
        live = false;
        item.dataset.seatsLive = "false";
        if (event.code >= 4000 && event.code <= 4999) {
          return;
        }
        startPolling();
        retry(event.code === TRY_AGAIN_LATER ? MAX_DELAY_TRY_AGAIN : MAX_DELAY);
      });
    }

    function retry(most) {
      // Exponential backoff with jitter, so a restarted server is not hit by every
      // open page in the same instant.
      var wait = delay / 2 + Math.random() * (delay / 2);
      delay = Math.min(delay * 2, most);
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
