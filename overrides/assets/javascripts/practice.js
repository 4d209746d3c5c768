/* The practice page: one answered question at a time from this language's catalog, filtered by
   section, level, topic and the reader's status; due reviews first, then new questions, then the
   rest at random.  The reader reveals the short answer (Space) and grades it (1–4); ts-fsrs (global
   FSRS) schedules the next review.  Cards are stored by question id (GuideStore), so progress is
   shared by every language and survives renamed pages. */
(function () {
  "use strict"
  var app = document.querySelector(".practice")
  if (!app || typeof FSRS === "undefined" || typeof Guide === "undefined") return

  var scheduler = FSRS.fsrs(FSRS.generatorParameters({ enable_fuzz: false }))
  var RATINGS = { 1: FSRS.Rating.Again, 2: FSRS.Rating.Hard, 3: FSRS.Rating.Good, 4: FSRS.Rating.Easy }
  var NAMES = { 1: "again", 2: "hard", 3: "good", 4: "easy" }
  var form = app.querySelector(".practice-filters")
  var card = app.querySelector(".practice-card")
  var show = app.querySelector(".practice-show")
  var answer = app.querySelector(".practice-card__answer")
  var empty = app.querySelector(".practice-empty")
  var questions = []
  var answers = {}
  var sections = {}
  var current = null
  var session = { n: 0, again: 0, hard: 0, good: 0, easy: 0, seen: {} }

  /* Answered questions of the chosen section, level and topic (and status, unless ignored). */
  function inSelection(q, state, now, ignoreStatus) {
    var f = form.elements
    return q.answered && answers[q.id] &&
      (!f.section.value || f.section.value === q.part + "/" + q.section || f.section.value === q.part) &&
      (!f.difficulty.value || q.difficulty === f.difficulty.value) &&
      (!f.tag.value || q.tags.indexOf(f.tag.value) >= 0) &&
      (ignoreStatus || GuideStore.matches(state, q.id, f.status.value, now))
  }

  /* Due first (the longest overdue first), then new in the guide's order, then any other at random. */
  function pick(pool, state, now) {
    var due = pool.filter(function (q) { return GuideStore.status(state, q.id, now) === "due" })
    if (due.length) {
      due.sort(function (a, b) { return Date.parse(state.cards[a.id].due) - Date.parse(state.cards[b.id].due) })
      return due[0]
    }
    var fresh = pool.filter(function (q) { return !session.seen[q.id] })
    var news = fresh.filter(function (q) { return GuideStore.status(state, q.id, now) === "new" })
    if (news.length) return news[0]
    return fresh.length ? fresh[Math.floor(Math.random() * fresh.length)] : null
  }

  function cardOf(state, id, now) {
    var stored = state.cards[id]
    if (!stored) return FSRS.createEmptyCard(now)
    var c = {}
    Object.keys(stored).forEach(function (k) { c[k] = stored[k] })
    c.due = new Date(stored.due)
    c.last_review = stored.last_review ? new Date(stored.last_review) : undefined
    return c
  }

  function serialise(c) {
    var out = {}
    Object.keys(c).forEach(function (k) {
      var v = c[k]
      if (v instanceof Date) out[k] = v.toISOString()
      else if (v !== undefined) out[k] = v
    })
    return out
  }

  function interval(from, to) {
    var minutes = Math.max(1, Math.round((to - from) / 60000))
    if (minutes < 60) return Guide.t("minutes", { n: minutes })
    if (minutes < 60 * 24) return Guide.t("hours", { n: Math.round(minutes / 60) })
    var days = Math.round(minutes / 1440)
    if (days < 31) return Guide.t("days", { n: days })
    if (days < 365) return Guide.t("months", { n: Math.round(days / 30) })
    return Guide.t("years", { n: Math.round(days / 365 * 10) / 10 })
  }

  function counts(state, now) {              // shows the selection's counts, returns the pool to pick from
    var ids = questions.filter(function (q) { return inSelection(q, state, now, true) }).map(function (q) { return q.id })
    app.querySelector(".practice-counts").textContent = Guide.t("counts", GuideStore.counts(state, ids, now))
    return questions.filter(function (q) { return inSelection(q, state, now, false) })
  }

  function summary(state) {
    app.querySelector(".practice-summary__text").textContent = Guide.t("summary", session)
    var next = GuideStore.nextDue(state, questions.filter(function (q) { return q.answered }).map(function (q) { return q.id }))
    app.querySelector(".practice-summary__next").textContent =
      next ? Guide.t("next_due", { date: Guide.formatDate(next) }) : Guide.t("nothing_due")
  }

  function absolutise(container) {          // the short answer's links are relative to the site root
    container.querySelectorAll("[href], [src]").forEach(function (el) {
      var attr = el.hasAttribute("href") ? "href" : "src"
      var value = el.getAttribute(attr)
      if (value && !/^(?:[a-z]+:|#|\/)/i.test(value)) el.setAttribute(attr, new URL(value, Guide.root).href)
    })
  }

  function next() {
    var state = Guide.state()
    var now = new Date()
    var pool = counts(state, now)
    current = pick(pool, state, now)
    summary(state)
    answer.hidden = true
    if (!current) {
      card.hidden = true
      empty.hidden = false
      empty.textContent = pool.length ? Guide.t("all_done") : Guide.t("empty")
      return
    }
    card.hidden = false
    empty.hidden = true
    var section = sections[current.part + "/" + current.section] || ""
    card.querySelector(".practice-card__meta").textContent =
      Guide.t("question_of", { id: current.id, section: section, level: current.difficulty })
    card.querySelector(".practice-card__title").textContent = current.title
    show.hidden = false
  }

  function reveal() {
    if (!current || !answer.hidden) return
    var short = card.querySelector(".practice-card__short")
    short.innerHTML = answers[current.id]
    absolutise(short)
    card.querySelector(".practice-card__link").href = new URL(current.url, Guide.root).href
    var now = new Date()
    var preview = scheduler.repeat(cardOf(Guide.state(), current.id, now), now)
    Object.keys(RATINGS).forEach(function (key) {
      app.querySelector('.practice-grade[data-rating="' + key + '"] .practice-grade__interval').textContent =
        "(" + interval(now, preview[RATINGS[key]].card.due) + ")"
    })
    answer.hidden = false
    show.hidden = true
    app.querySelector('.practice-grade[data-rating="3"]').focus()
  }

  function grade(key) {
    if (!current || answer.hidden) return
    var now = new Date()
    var state = Guide.state()
    var result = scheduler.next(cardOf(state, current.id, now), now, RATINGS[key])
    session.n += 1
    session[NAMES[key]] += 1
    session.seen[current.id] = true
    Guide.save(GuideStore.withCard(state, current.id, serialise(result.card), now))
    next()
    if (current) show.focus()
  }

  show.addEventListener("click", reveal)
  app.querySelectorAll(".practice-grade").forEach(function (button) {
    button.addEventListener("click", function () { grade(button.dataset.rating) })
  })
  form.addEventListener("change", next)
  form.addEventListener("submit", function (ev) { ev.preventDefault() })
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return
    if (ev.target.closest && ev.target.closest("input, select, textarea, [contenteditable], .md-search")) return
    if (ev.key === " " && answer.hidden && current) { ev.preventDefault(); reveal() }
    else if (/^[1-4]$/.test(ev.key) && !answer.hidden) { ev.preventDefault(); grade(ev.key) }
  })

  function option(value, label) {
    var o = document.createElement("option")
    o.value = value
    o.textContent = label
    return o
  }

  Promise.all([Guide.catalog(), Guide.shortAnswers()]).then(function (loaded) {
    var data = loaded[0]
    answers = loaded[1]
    questions = data.questions
    var sectionSelect = form.elements.section
    data.parts.forEach(function (part) {
      var group = document.createElement("optgroup")
      group.label = part.title
      group.appendChild(option(part.key, part.title))
      part.sections.forEach(function (s) {
        sections[part.key + "/" + s.key] = s.title
        group.appendChild(option(part.key + "/" + s.key, "— " + s.title))
      })
      sectionSelect.appendChild(group)
    })
    var tags = {}
    questions.forEach(function (q) { if (q.answered) q.tags.forEach(function (tag) { tags[tag] = true }) })
    Object.keys(tags).sort().forEach(function (tag) { form.elements.tag.appendChild(option(tag, tag)) })
    var params = new URLSearchParams(location.search)          // e.g. ?status=due from the home page
    ;["section", "difficulty", "tag", "status"].forEach(function (name) {
      if (params.get(name)) form.elements[name].value = params.get(name)
    })
    app.hidden = false
    next()
  }).catch(function () { empty.hidden = false; empty.textContent = Guide.t("empty"); app.hidden = false; card.hidden = true })

  Guide.onChange(function (state) { counts(state, new Date()); summary(state) })
})();
