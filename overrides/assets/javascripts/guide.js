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
})()
