// The pages work without this script. With it, the expert field of the claims search suggests names
// (from /experts/names.json) as you type.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("input[list='expert-names']");
    var list = document.getElementById("expert-names");
    if (!input || !list || !window.fetch) { return; }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2 || query === last) { return; }
      timer = setTimeout(function () {
        last = query;
        fetch("/experts/names.json?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (expert) {
              var option = document.createElement("option");
              option.value = expert.name;
              return option;
            }));
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
