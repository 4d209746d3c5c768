/* Reader features on every page: accessibility patches for Material's markup, the reader's
   progress (mark as learned, flag for revision, status in section lists, filters, what is due),
   and the offline service worker.  Progress lives in guide/store.js (GuideStore); strings come
   from the page's #guide-ui JSON (hooks/strings/<lang>.yml, "ui"). */

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

/* The shared helpers of the browser features: strings, catalog, progress, formatting. */
var Guide = (function () {
  "use strict"
  var config = {}
  try { config = JSON.parse(document.getElementById("guide-ui").textContent) } catch (e) { /* no strings: features stay hidden */ }
  var strings = config.strings || {}
  var root = new URL(config.root || "./", location.href)          // the site's root
  var home = new URL(config.home || "./", location.href)          // this language's root
  var catalogPromise = null

  function t(key, values) {
    var text = strings[key] || key
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]) })
    return text
  }

  function load(name) {
    return fetch(new URL(name, home)).then(function (r) {
      if (!r.ok) throw new Error(name + ": " + r.status)
      return r.json()
    })
  }

  function catalog() {            // this language's questions.json (the catalog the build writes)
    if (!catalogPromise) catalogPromise = load("questions.json")
    return catalogPromise
  }

  function shortAnswers() {       // {id: HTML of the "In short" section}, for the practice page
    return load("short-answers.json")
  }

  var loaded = GuideStore.read(window.localStorage)
  var state = loaded.state
  var listeners = []

  function save(next) {
    state = next
    if (!GuideStore.write(window.localStorage, state)) loaded.problem = loaded.problem || "unavailable"
    listeners.forEach(function (fn) { fn(state) })
  }

  function onChange(fn) { listeners.push(fn) }

  window.addEventListener("storage", function (ev) {     // another tab changed the progress
    if (ev.key !== GuideStore.KEY) return
    state = GuideStore.read(window.localStorage).state
    listeners.forEach(function (fn) { fn(state) })
  })

  function endOfToday() {
    var d = new Date()
    d.setHours(23, 59, 59, 999)
    return d
  }

  function formatDate(iso) {
    return new Date(iso).toLocaleString(config.lang || undefined, { dateStyle: "medium", timeStyle: "short" })
  }

  return {
    strings: strings, t: t, root: root, home: home, lang: config.lang, catalog: catalog, shortAnswers: shortAnswers,
    state: function () { return state }, save: save, onChange: onChange,
    problem: function () { return loaded.problem }, endOfToday: endOfToday, formatDate: formatDate
  }
})();

/* Question pages: "Mark as learned" and "Flag for revision". Section pages: the reader's status
   of every question and filters by level and status. Home page: learned and due counts. */
(function () {
  "use strict"
  if (!Guide.strings.status_new) return

  function renderButtons(state) {
    document.querySelectorAll("button.q-toggle").forEach(function (button) {
      var id = button.dataset.questionId
      var on = Object.prototype.hasOwnProperty.call(state[button.dataset.kind], id)
      button.hidden = false
      button.setAttribute("aria-pressed", String(on))
      button.textContent = on ? button.dataset.on : button.dataset.off
    })
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("button.q-toggle")
    if (!button) return
    var state = Guide.state()
    var on = button.getAttribute("aria-pressed") !== "true"
    Guide.save(GuideStore.toggle(state, button.dataset.kind, button.dataset.questionId, on, new Date()))
  })

  function renderStatuses(state) {
    var now = new Date()
    document.querySelectorAll(".q-reader-status").forEach(function (cell) {
      var id = cell.dataset.questionId
      var status = GuideStore.status(state, id, now)
      var text = Guide.t("status_" + status)
      if (GuideStore.flagged(state, id)) text += " · " + Guide.t("status_flagged")
      cell.textContent = text
      cell.className = "q-reader-status q-reader-status--" + status
    })
  }

  function applyFilters(state) {
    var form = document.querySelector("form.q-filters")
    if (!form) return
    form.hidden = false
    var level = form.elements.difficulty.value
    var wanted = form.elements.status.value
    var rows = document.querySelectorAll(".q-row")
    var shown = 0
    var now = new Date()
    rows.forEach(function (row) {
      var visible = (!level || row.dataset.difficulty === level) &&
        GuideStore.matches(state, row.dataset.questionId, wanted, now)
      row.closest("tr").hidden = !visible
      if (visible) shown += 1
    })
    form.querySelector(".q-filters__count").textContent = Guide.t("shown", { n: shown, total: rows.length })
  }

  document.addEventListener("change", function (ev) {
    if (ev.target.closest && ev.target.closest("form.q-filters")) applyFilters(Guide.state())
  })
  document.addEventListener("submit", function (ev) {
    if (ev.target.matches("form.q-filters")) ev.preventDefault()
  })

  function renderHome(state) {
    var learned = document.querySelector(".q-learned-summary")
    var due = document.querySelector(".q-due-summary")
    if (!learned && !due) return
    Guide.catalog().then(function (data) {
      var answered = data.questions.filter(function (q) { return q.answered }).map(function (q) { return q.id })
      var all = data.questions.map(function (q) { return q.id })
      if (learned) {
        var n = all.filter(function (id) { return GuideStore.status(state, id, new Date()) === "learned" }).length
        learned.textContent = learned.dataset.template.replace("{n}", n).replace("{total}", all.length)
        learned.hidden = n === 0
      }
      if (due) {
        var count = GuideStore.counts(state, answered, Guide.endOfToday()).due
        due.querySelector(".q-due-summary__text").textContent = Guide.t("due_today", { n: count })
      }
    }).catch(function () { /* no catalog (a page opened from disk): no summary */ })
  }

  function render(state) {
    renderButtons(state)
    renderStatuses(state)
    applyFilters(state)
    renderHome(state)
  }

  Guide.onChange(render)
  render(Guide.state())
})();

/* Offline: a same-origin service worker (written by hooks/offline.py) keeps the pages a reader has
   visited, the practice page and the catalogs, so the guide works without a network. */
(function () {
  "use strict"
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(new URL("sw.js", Guide.root), { scope: Guide.root.pathname })
      .catch(function () { /* no offline copy, the site works as before */ })
  })
})();
