// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After htmx replaced the results, a keyboard user whose focused link was swapped out
  // lands on the result count instead of the top of the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "results") {
      return;
    }
    var active = document.activeElement;
    if (!active || active === document.body || !document.body.contains(active)) {
      var heading = document.getElementById("results-count");
      if (heading) {
        heading.focus({ preventScroll: false });
      }
    }
  });
})();
