/* The officer's complaint page (complaints/work_detail.html).

   Action forms post with htmx (loaded by base.html) and the answer replaces <main> in place.
   An answer with input to correct (400) or a refusal (403) is a page to show like any other,
   so it is swapped in too; after each swap, focus goes to what the officer must read first:
   the list of errors, or the message saying what was done. Without JavaScript (or before
   htmx has loaded) the forms post and redirect as usual. */
(function () {
  "use strict";
  var htmx = window.htmx;
  if (!htmx) {
    return;
  }
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "40[03]", swap: true, error: false },
    { code: "...", swap: false, error: true },
  ];
  // The swapped page carries this script again (kept by hx-preserve); it must never run twice.
  htmx.config.allowScriptTags = false;

  document.addEventListener("htmx:afterSettle", function () {
    var main = document.getElementById("main");
    if (!main) {
      return;
    }
    var target = main.querySelector(".error-summary") || main.querySelector(".messages");
    if (!target) {
      return;
    }
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  });

  // A request that failed (no connection, a server error): say so beside the form, in the
  // page's language, instead of doing nothing. Nothing is sent again by itself.
  function failed(event) {
    var form = event.detail && event.detail.elt;
    if (!form || !form.closest) {
      return;
    }
    var section = form.closest("[data-send-error]");
    if (!section) {
      return;
    }
    var note = form.querySelector(".send-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "send-error";
      note.setAttribute("role", "alert");
      form.appendChild(note);
    }
    note.textContent = section.getAttribute("data-send-error");
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
})();
