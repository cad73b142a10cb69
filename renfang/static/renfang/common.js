// Loaded on every page (staff and public). The Content-Security-Policy runs no inline script and applies
// no inline style, so what pages used to do inline lives here:
//  - renfang.text / renfang.tip build text nodes: data from the server is never inserted as HTML
//    (Leaflet treats a string tooltip or popup as HTML, so maps pass these nodes instead);
//  - form widgets get Bootstrap's classes (Django and django-filter render them without);
//  - [data-width] sets a width in per cent (progress bars), since a style attribute would be refused.
(function () {
  "use strict";

  function text(tag, className, value) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (value !== undefined && value !== null) node.textContent = String(value);
    return node;
  }

  function tip(value) { return text("span", "", value); }

  const TEXT_INPUTS = "input:not([type]), input[type=text], input[type=number], input[type=email], input[type=url], " +
    "input[type=password], input[type=date], input[type=datetime-local], input[type=time], input[type=search], " +
    "input[type=tel], input[type=file], textarea";

  function styleForms(root) {
    root.querySelectorAll("form select:not([class])").forEach(function (e) {
      e.classList.add("form-select");
      if (e.closest("#filters")) e.classList.add("form-select-sm");
    });
    root.querySelectorAll("form :is(" + TEXT_INPUTS + "):not([class])").forEach(function (e) {
      e.classList.add("form-control");
      if (e.closest("#filters")) e.classList.add("form-control-sm");
    });
    root.querySelectorAll("form input[type=checkbox]:not([class])").forEach(function (e) {
      e.classList.add("form-check-input");
    });
  }

  function applySizes(root) {
    root.querySelectorAll("[data-width]").forEach(function (e) {
      const value = Number(e.dataset.width);
      if (Number.isFinite(value)) e.style.width = Math.max(0, Math.min(100, value)) + "%";
    });
  }

  // a form that opens a URL built from its input ("community notice": /…/CODE/ with the chosen code)
  function urlForms(root) {
    root.querySelectorAll("form[data-url-template]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        const field = form.elements[form.dataset.urlField];
        if (field && field.value) {
          window.location = form.dataset.urlTemplate.replace("CODE", encodeURIComponent(field.value));
        }
      });
    });
  }

  // a long select (hundreds of streets or works) gets a search box above it: typing a name, a code or a
  // district narrows the options (each option's text carries all three, see core.forms.picker_labels)
  const PICKER_MIN_OPTIONS = 15;
  function searchableSelects(root) {
    const hint = document.body.dataset.pickerHint || "";
    root.querySelectorAll("form select:not([multiple]):not([data-picker])").forEach(function (select) {
      if (select.options.length < PICKER_MIN_OPTIONS) return;
      select.dataset.picker = "1";
      const search = document.createElement("input");
      search.type = "search";
      search.className = "form-control form-control-sm mb-1 picker-search";
      search.placeholder = hint;
      search.setAttribute("aria-label", hint);
      search.addEventListener("input", function () {
        const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        Array.from(select.options).forEach(function (option) {
          const shown = !option.value || words.every(function (w) { return option.text.toLowerCase().includes(w); });
          option.hidden = !shown;
        });
        // one match left: pick it, as a person who typed its code expects
        const matches = Array.from(select.options).filter(function (o) { return o.value && !o.hidden; });
        if (matches.length === 1 && select.value !== matches[0].value) {
          select.value = matches[0].value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      select.parentNode.insertBefore(search, select);
    });
  }

  // a 打印 button: the print stylesheet keeps the page's content and drops menus and controls
  function printButtons(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function prepare(root) { styleForms(root); applySizes(root); urlForms(root); searchableSelects(root); printButtons(root); }

  // every map of the page registers here (tests open each tooltip and popup of each to look for injected markup)
  window.renfang = { text: text, tip: tip, maps: [] };
  prepare(document);
  // content swapped in by htmx (job progress, live dashboards) gets the same treatment
  document.addEventListener("htmx:load", function (event) { if (event.target !== document.body) prepare(event.target); });
})();
