// Attendance list: one tap per trainee saves at once. The button changes before the
// server answers (a phone in a training room is often on a slow connection); when the
// save fails it returns to the last state the server confirmed and says so. Without
// JavaScript each row is a plain form that posts and comes back to the list.
(function () {
  "use strict";

  var list = document.querySelector(".roster");
  var status = document.getElementById("attendance-status");
  if (!list || !window.fetch) {
    return;
  }
  var errorText = list.dataset.error;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("attendance-status--error", Boolean(isError));
  }

  function show(form, state) {
    var button = form.querySelector("button");
    var label = button.querySelector("[data-state-label]");
    button.dataset.state = state;
    button.setAttribute("aria-pressed", state === "present" ? "true" : "false");
    if (state === "present") {
      label.textContent = button.dataset.labelPresent;
    } else if (state === "absent") {
      label.textContent = button.dataset.labelAbsent;
    } else {
      label.textContent = form.dataset.unmarkedLabel;
    }
    // The next tap asks for the other state; a plain post sends this value too.
    form.elements.present.value = state === "present" ? "0" : "1";
  }

  function showCounts(counts) {
    Object.keys(counts || {}).forEach(function (key) {
      var element = document.querySelector('[data-count="' + key + '"]');
      if (element) {
        element.textContent = counts[key];
      }
    });
  }

  function save(form, wanted) {
    var data = new FormData(form);
    data.set("present", wanted === "present" ? "1" : "0");
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": form.elements.csrfmiddlewaretoken.value,
      },
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          if (!response.ok) {
            throw new Error(body.error || errorText);
          }
          return body;
        });
    });
  }

  list.querySelectorAll("form[data-attendance]").forEach(function (form) {
    var button = form.querySelector("button");
    form.dataset.unmarkedLabel = button.querySelector("[data-state-label]").textContent;
    form.dataset.confirmed = button.dataset.state;
    var queue = Promise.resolve();

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var wanted = button.dataset.state === "present" ? "absent" : "present";
      show(form, wanted);
      button.setAttribute("aria-busy", "true");
      // One request at a time per trainee, so a quick double tap ends in the last state.
      queue = queue
        .then(function () {
          return save(form, wanted);
        })
        .then(function (body) {
          form.dataset.confirmed = wanted;
          showCounts(body.counts);
          say(body.message, false);
        })
        .catch(function (error) {
          show(form, form.dataset.confirmed);
          var name = button.querySelector(".roster__name").textContent;
          say(name + " – " + (error.message || errorText), true);
        })
        .then(function () {
          if (button.dataset.state === form.dataset.confirmed) {
            button.removeAttribute("aria-busy");
          }
        });
    });
  });
})();
