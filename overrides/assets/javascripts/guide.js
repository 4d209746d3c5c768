/* Small reader comforts that Material does not do by itself. */
(function () {
  "use strict"

  /* A link to a heading inside a closed answer opens the answer first. */
  function revealTarget() {
    if (!location.hash) return
    var id = decodeURIComponent(location.hash.slice(1))
    var target = document.getElementById(id)
    if (!target) return
    for (var el = target.parentElement; el; el = el.parentElement)
      if (el.tagName === "DETAILS") el.open = true
    target.scrollIntoView()
  }
  window.addEventListener("hashchange", revealTarget)
  document.addEventListener("DOMContentLoaded", revealTarget)
})();

/* Accessibility patches for Material's markup (axe-core checks them in the tests):
   - with navigation.indexes a section's <nav> is labelled by an empty <label>,
     so every section landmark has the same (empty) name: name it by its title;
   - the search overlay is role="dialog" without a name: give it the search label. */
(function () {
  "use strict"
  document.querySelectorAll("nav.md-nav[aria-labelledby]").forEach(function (nav) {
    var label = document.getElementById(nav.getAttribute("aria-labelledby"))
    var title = nav.querySelector(":scope > .md-nav__title")
    if (label && !label.textContent.trim() && title) {
      nav.removeAttribute("aria-labelledby")
      nav.setAttribute("aria-label", title.textContent.trim())
    }
  })
  var dialog = document.querySelector(".md-search[role=dialog]")
  var input = document.querySelector(".md-search__input")
  if (dialog && input && !dialog.hasAttribute("aria-label"))
    dialog.setAttribute("aria-label", input.getAttribute("aria-label"))
})();
