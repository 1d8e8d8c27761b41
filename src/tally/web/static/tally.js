/* Small behaviours for every page, kept out of the HTML so the Content-Security-Policy
   can forbid inline script: filter menus submit on change, and a document opened on
   one figure scrolls to it and focuses it, so its attributes show at once. */
(function () {
  "use strict";

  function ready() {
    var selects = document.querySelectorAll("select.autosubmit");
    for (var i = 0; i < selects.length; i++) {
      selects[i].addEventListener("change", function (event) {
        if (event.target.form) event.target.form.submit();
      });
    }
    var selected = document.querySelector("mark.fig.selected");
    if (selected) {
      selected.scrollIntoView({ block: "center" });
      selected.focus({ preventScroll: true });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
