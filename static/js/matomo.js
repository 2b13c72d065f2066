// Audience measurement with Matomo, included only when MATOMO_URL and MATOMO_SITE_ID are set.
// Nothing is loaded or sent when the browser asks not to be tracked (Do Not Track or Global Privacy
// Control), and Matomo sets no cookie, so no consent banner is needed.
(function () {
  "use strict";
  var script = document.currentScript;
  var refuses =
    navigator.doNotTrack === "1" ||
    navigator.doNotTrack === "yes" ||
    window.doNotTrack === "1" ||
    navigator.globalPrivacyControl === true;
  if (!script || refuses) {
    return;
  }
  var base = script.getAttribute("data-matomo-url");
  var site = script.getAttribute("data-matomo-site");
  var queue = (window._paq = window._paq || []);
  queue.push(["setDoNotTrack", true]);
  queue.push(["disableCookies"]);
  queue.push(["setTrackerUrl", base + "matomo.php"]);
  queue.push(["setSiteId", site]);
  queue.push(["trackPageView"]);
  queue.push(["enableLinkTracking"]);
  var tracker = document.createElement("script");
  tracker.async = true;
  tracker.src = base + "matomo.js";
  document.head.appendChild(tracker);
  // htmx replaces the results and pushes their URL: that is a page view too.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    queue.push(["setCustomUrl", window.location.href]);
    queue.push(["setDocumentTitle", document.title]);
    queue.push(["trackPageView"]);
  });
})();
