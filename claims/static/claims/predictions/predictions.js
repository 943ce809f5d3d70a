// The predictions page works without this script. With it, choosing an expert or a topic applies the
// filter at once, and hovering a timeline row highlights its line in the table (and the reverse).
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  onReady(function () {
    var form = document.getElementById("filters");
    if (form) {
      form.querySelectorAll("select").forEach(function (select) {
        select.addEventListener("change", function () {
          form.submit();
        });
      });
    }

    function linked(id) {
      return document.querySelectorAll('[data-prediction="' + id + '"]');
    }
    document.querySelectorAll("[data-prediction]").forEach(function (element) {
      var id = element.getAttribute("data-prediction");
      element.addEventListener("mouseenter", function () {
        linked(id).forEach(function (other) { other.classList.add("is-linked"); });
      });
      element.addEventListener("mouseleave", function () {
        linked(id).forEach(function (other) { other.classList.remove("is-linked"); });
      });
    });
  });
})();
