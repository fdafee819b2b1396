/* Response templates on the officer's complaint page (complaints/templates/_pick.html):
   "Use this text" puts a template's text, filled in on the server, into its action form's text
   box. Without JavaScript the buttons stay hidden and the texts are there to copy. The page may
   include this file once per action form, and htmx may swap the page in place: the handlers are
   set once, and buttons arriving with new content are shown as they come. */
(function () {
  "use strict";
  if (window.citizenPortalResponseTemplates) { showButtons(document); return; }
  window.citizenPortalResponseTemplates = true;

  function showButtons(root) {
    var buttons = root.querySelectorAll ? root.querySelectorAll("button[data-template-fill]") : [];
    for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-template-fill]");
    if (!button) { return; }
    var box = document.getElementById(button.getAttribute("data-template-fill"));
    if (!box) { return; }
    var text = button.getAttribute("data-template-text");
    // Never throw away what the officer typed without asking.
    if (box.value.trim() && box.value !== text &&
        !window.confirm(button.getAttribute("data-template-confirm"))) { return; }
    box.value = text;
    box.dir = button.getAttribute("data-template-dir") || "auto";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  });
  document.addEventListener("htmx:load", function (event) { showButtons(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { showButtons(document); });
  } else {
    showButtons(document);
  }
})();
