// The main menu on a narrow screen: one "Menu" button that shows and hides the links.
// Without this script (or on a wide screen) the links are always shown.
(function () {
  "use strict";

  function setUp() {
    var button = document.querySelector("[data-menu-button]");
    if (!button) { return; }
    var nav = button.closest("nav");
    var links = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav || !links) { return; }

    function isOpen() { return button.getAttribute("aria-expanded") === "true"; }
    function setOpen(open) { button.setAttribute("aria-expanded", open ? "true" : "false"); }

    nav.classList.add("nav-collapsible");
    button.hidden = false;
    button.addEventListener("click", function () { setOpen(!isOpen()); });
    // Escape closes the menu and gives the focus back to its button.
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        setOpen(false);
        button.focus();
      }
    });
    // A click elsewhere, or the focus leaving the menu, closes it.
    document.addEventListener("click", function (event) {
      if (isOpen() && !nav.contains(event.target)) { setOpen(false); }
    });
    nav.addEventListener("focusout", function (event) {
      if (isOpen() && event.relatedTarget && !nav.contains(event.relatedTarget)) { setOpen(false); }
    });
  }

  if (document.readyState !== "loading") { setUp(); } else { document.addEventListener("DOMContentLoaded", setUp); }
})();
