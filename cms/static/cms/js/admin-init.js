// Runs the Wagtail admin's widget initialisers that Wagtail writes as inline scripts.
// The Content-Security-Policy refuses inline scripts, so the templates (and the chooser
// widgets, cms/csp.py) write a hidden element instead:
//   <span hidden data-wagtail-init="initDateChooser" data-wagtail-init-id="id_start"
//         data-wagtail-init-options="{...json...}"></span>
// and this file calls the named initialiser, once per element: at load, and for every
// element added later (a new inline form, a modal's content).
(function () {
  "use strict";
  var functions = ["initDateChooser", "initTimeChooser", "initDateTimeChooser"];
  var panels = ["InlinePanel", "MultipleChooserPanel"];
  var choosers = /^[A-Za-z]*Chooser$/;

  function run(element) {
    if (element.dataset.wagtailInitDone) return;
    var name = element.dataset.wagtailInit;
    var target = element.dataset.wagtailInitId;
    var options = JSON.parse(element.dataset.wagtailInitOptions || "null");
    var callable = window[name];
    if (typeof callable !== "function") {
      console.error("admin-init: no initialiser " + name);
      return;
    }
    element.dataset.wagtailInitDone = "1";
    if (functions.indexOf(name) !== -1) {
      callable(target, options);
    } else if (panels.indexOf(name) !== -1) {
      new callable(options);
    } else if (choosers.test(name)) {
      new callable(target, options);
    } else {
      console.error("admin-init: " + name + " is not an allowed initialiser");
    }
  }

  function runWithin(root) {
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    if (root.matches("[data-wagtail-init]")) run(root);
    root.querySelectorAll("[data-wagtail-init]").forEach(run);
  }

  function start() {
    runWithin(document.body);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(runWithin);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
