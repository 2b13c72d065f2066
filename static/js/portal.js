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

// The list page's filters are a modal on a phone only (portal.css): when the screen widens past the point
// where they become a sidebar (a tablet turned), an open panel is closed, or the page would stay locked.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48em)");
  wide.addEventListener("change", function (event) {
    var panel = document.getElementById("filters");
    if (event.matches && panel && window.dsfr && panel.classList.contains("fr-modal--opened")) {
      window.dsfr(panel).modal.conceal();
    }
  });
})();
