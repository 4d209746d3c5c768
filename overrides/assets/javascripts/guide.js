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

/* "Mark as learned": the reader's own progress, kept in localStorage under
   question ids (the same in both languages). The home page counts it against
   the language's questions.json, the catalog the build writes. */
(function () {
  "use strict"
  var KEY = "nlp-guide.learned"

  function load() {
    try { return new Set(JSON.parse(localStorage.getItem(KEY) || "[]")) }
    catch (e) { return new Set() }
  }
  function save(set) {
    try { localStorage.setItem(KEY, JSON.stringify(Array.from(set))) } catch (e) { /* private mode */ }
  }

  function render() {
    var learned = load()
    document.querySelectorAll("button.q-learned").forEach(function (button) {
      var on = learned.has(button.dataset.questionId)
      button.hidden = false
      button.setAttribute("aria-pressed", String(on))
      button.textContent = on ? button.dataset.on : button.dataset.off
    })
    document.querySelectorAll(".q-learned-mark").forEach(function (mark) {
      mark.hidden = !learned.has(mark.dataset.questionId)
    })
    var summary = document.querySelector(".q-learned-summary")
    if (summary && learned.size) {
      fetch(summary.dataset.catalog).then(function (r) { return r.json() }).then(function (data) {
        var n = data.questions.filter(function (q) { return learned.has(q.id) }).length
        summary.textContent = summary.dataset.template
          .replace("{n}", n).replace("{total}", data.questions.length)
        summary.hidden = false
      }).catch(function () { /* offline file view: no summary */ })
    }
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("button.q-learned")
    if (!button) return
    var learned = load()
    var id = button.dataset.questionId
    if (learned.has(id)) learned.delete(id); else learned.add(id)
    save(learned)
    render()
  })
  render()
})();
