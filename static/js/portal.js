// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After htmx replaced the results, a keyboard user whose focused link was swapped out
  // lands on the result count instead of the top of the page. A facet's checkbox ticked with the keyboard
  // keeps the focus (its new copy): several values are chosen one after the other.
  var tickedBox = "";
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    tickedBox = active && active.type === "checkbox" && active.closest("#facets") ? active.id : "";
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "results") {
      return;
    }
    var active = document.activeElement;
    if (!active || active === document.body || !document.body.contains(active)) {
      var box = tickedBox && document.getElementById(tickedBox);
      if (box) {
        box.focus({ preventScroll: true });
        return;
      }
      var heading = document.getElementById("results-count");
      if (heading) {
        heading.focus({ preventScroll: false });
      }
    }
  });

  // The address holds the state; the form fields outside the swapped results must follow it.
  // - htmx's history snapshot serialises attributes, not what was typed or picked: a restored page
  //   (Back, Forward) would show the fields as the first page load drew them;
  // - a link swapping the results (a chip, a facet) changes the address, not the fields above them;
  // - a page kept in the browser's back-forward cache shows the fields as they were left.
  // Each time, a field of a form marked data-cp-url-state takes its parameter's value, or its empty
  // value when the parameter is absent (a select: its "" option, else its first one, the default).
  // After a swap, the field being edited keeps what the user is typing or picking.
  function showUrlState(keepFocused) {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[data-cp-url-state]").forEach(function (form) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.type === "hidden" || field.type === "submit" || field.type === "button") {
          return;
        }
        if (keepFocused && field === document.activeElement) {
          return;
        }
        var values = params.getAll(field.name);
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = values.indexOf(field.value) !== -1;
        } else if (field.tagName === "SELECT") {
          var options = Array.prototype.slice.call(field.options);
          var chosen = options.filter(function (option) { return values.indexOf(option.value) !== -1; })[0]
            || options.filter(function (option) { return option.value === ""; })[0]
            || options[0];
          if (chosen) {
            field.value = chosen.value;
          }
        } else {
          field.value = values.length ? values[0] : "";
        }
      });
    });
  }
  document.addEventListener("htmx:historyRestore", function () { showUrlState(false); });
  document.addEventListener("htmx:pushedIntoHistory", function () { showUrlState(true); });
  document.addEventListener("htmx:replacedInHistory", function () { showUrlState(true); });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      showUrlState(false);
    }
  });

  // An empty field means "no filter" on every page: leave it out of the request, so that the address
  // htmx pushes is the clean one (?format=pdf, not ?q=&format=pdf&type=). Plain form submissions,
  // without JavaScript, still send every field; the server reads both the same way.
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    var data = detail && detail.formData;
    if (!data || !detail.useUrlParams) {
      return;
    }
    var names = [];
    data.forEach(function (value, name) {
      if (value === "" && names.indexOf(name) === -1) {
        names.push(name);
      }
    });
    names.forEach(function (name) {
      var kept = data.getAll(name).filter(function (value) { return value !== ""; });
      data.delete(name);
      kept.forEach(function (value) { data.append(name, value); });
    });
  });

  // « Trier par » applies the order as soon as it is picked with a pointer (the list closes on a choice).
  // With the keyboard, Chromium and Firefox fire "change" at every arrow key on a closed select: running
  // the search then would reload the results under a user still moving through the options (RGAA 7.4,
  // WCAG 3.2.2). A value reached with keys waits for Enter or the « Trier » button, which stays visible.
  var SORT = "select[data-cp-apply-on-change]";
  var MOVING_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];
  var keyed = new WeakSet();

  function submit(form) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    }
  }
  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches(SORT)) {
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      keyed.delete(select);
      submit(select.form);
    } else if (MOVING_KEYS.indexOf(event.key) !== -1 || (event.key.length === 1 && event.key !== " ")) {
      keyed.add(select);  // type-ahead picks an option too
    }
  });
  document.addEventListener("pointerdown", function (event) {
    if (event.target.matches && event.target.matches(SORT)) {
      keyed.delete(event.target);
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches(SORT) || keyed.has(select)) {
      return;
    }
    submit(select.form);
  });
})();

// The list page's filters are a modal on a phone only (portal.css): when the screen widens past the point
// where they become a sidebar (a tablet turned), an open panel is closed, or the page would stay locked.
(function () {
  "use strict";
  // DSFR's modal ignores Escape from a form field (it may be clearing it); a facet's checkbox has nothing to
  // clear, and the panel is full of them: Escape closes it there too (focus goes back to « Filtrer »).
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Escape" || box.type !== "checkbox" || !box.closest("#filters")) {
      return;
    }
    var panel = document.getElementById("filters");
    if (window.dsfr && panel.classList.contains("fr-modal--opened")) {
      window.dsfr(panel).modal.conceal();
      var opener = document.querySelector('.cp-filters-toggle button[aria-controls="filters"]');
      if (opener) {
        opener.focus();
      }
    }
  });
  var wide = window.matchMedia("(min-width: 48em)");
  wide.addEventListener("change", function (event) {
    var panel = document.getElementById("filters");
    if (event.matches && panel && window.dsfr && panel.classList.contains("fr-modal--opened")) {
      window.dsfr(panel).modal.conceal();
    }
  });
})();
