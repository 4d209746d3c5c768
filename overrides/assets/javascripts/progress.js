/* The progress page: per part and section, how many questions the reader has learned, has due,
   has not started, and has flagged; export to a JSON file, import (merged, validated: a foreign or
   damaged file changes nothing), reset with a confirmation. */
(function () {
  "use strict"
  var app = document.querySelector(".progress")
  if (!app || typeof Guide === "undefined") return
  var data = null
  var message = app.querySelector(".progress-message")

  function el(tag, attrs, children) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]
      else node.setAttribute(k, attrs[k])
    })
    ;(children || []).forEach(function (child) { node.appendChild(child) })
    return node
  }

  function bar(c) {
    var wrap = el("span", { "class": "progress-bar", role: "img",
      "aria-label": Guide.t("counts", c) })
    ;["learned", "learning", "due", "new"].forEach(function (kind) {
      if (c[kind]) wrap.appendChild(el("span", { "class": "progress-bar__part progress-bar__part--" + kind,
        style: "width:" + (100 * c[kind] / c.total) + "%" }))
    })
    return wrap
  }

  function render(state) {
    if (!data) return
    var now = new Date()
    var parts = app.querySelector(".progress-parts")
    parts.textContent = ""
    data.parts.forEach(function (part) {
      var table = el("table")
      var head = el("tr", {}, ["filter_section", "col_learned", "col_learning", "col_due", "col_new", "col_flagged", "col_share"].map(function (key) {
        return el("th", { scope: "col", text: Guide.t(key) })
      }))
      table.appendChild(el("thead", {}, [head]))
      var body = el("tbody")
      part.sections.forEach(function (section) {
        var ids = data.questions.filter(function (q) { return q.part === part.key && q.section === section.key })
          .map(function (q) { return q.id })
        var c = GuideStore.counts(state, ids, now)
        body.appendChild(el("tr", { "data-section": part.key + "/" + section.key }, [
          el("th", { scope: "row" }, [el("a", { href: new URL(section.url, Guide.root).href, text: section.title })]),
          el("td", { text: String(c.learned) }), el("td", { text: String(c.learning) }), el("td", { text: String(c.due) }),
          el("td", { text: String(c["new"]) }),
          el("td", { text: String(c.flagged) }), el("td", {}, [bar(c)])
        ]))
      })
      table.appendChild(body)
      parts.appendChild(el("h2", { id: "part-" + part.key }, [el("a", { href: new URL(part.url, Guide.root).href, text: part.title })]))
      parts.appendChild(el("div", { "class": "md-typeset__scrollwrap" }, [el("div", { "class": "md-typeset__table" }, [table])]))
    })
  }

  function say(text) { message.textContent = text }

  app.querySelector(".progress-export").addEventListener("click", function () {
    var now = new Date()
    var blob = new Blob([JSON.stringify(GuideStore.exported(Guide.state(), now), null, 1)], { type: "application/json" })
    var link = el("a", { href: URL.createObjectURL(blob), download: "nlp-guide-progress-" + now.toISOString().slice(0, 10) + ".json" })
    document.body.appendChild(link)
    link.click()
    link.remove()
    setTimeout(function () { URL.revokeObjectURL(link.href) }, 1000)
  })

  var file = app.querySelector(".progress-import__file")
  app.querySelector(".progress-import").addEventListener("click", function () { file.click() })
  file.addEventListener("change", function () {
    var chosen = file.files && file.files[0]
    if (!chosen) return
    chosen.text().then(function (text) {
      try {
        var merged = GuideStore.imported(Guide.state(), text)
        Guide.save(merged)
        say(Guide.t("imported", { cards: Object.keys(merged.cards).length, learned: Object.keys(merged.learned).length,
          flagged: Object.keys(merged.flagged).length }))
      } catch (e) {
        say(Guide.t("error_" + (e.reason || "bad_data")))
      }
      file.value = ""
    })
  })

  var confirm = app.querySelector(".progress-confirm")
  app.querySelector(".progress-reset").addEventListener("click", function () {
    confirm.hidden = false
    confirm.querySelector(".progress-confirm__no").focus()
  })
  confirm.querySelector(".progress-confirm__no").addEventListener("click", function () {
    confirm.hidden = true
    app.querySelector(".progress-reset").focus()
  })
  confirm.querySelector(".progress-confirm__yes").addEventListener("click", function () {
    Guide.save(GuideStore.empty())
    confirm.hidden = true
    say(Guide.t("reset_done"))
    app.querySelector(".progress-reset").focus()
  })

  if (Guide.problem()) {
    var notice = app.querySelector(".progress-notice")
    notice.textContent = Guide.t(Guide.problem())
    notice.hidden = false
  }
  Guide.catalog().then(function (catalog) {
    data = catalog
    app.hidden = false
    render(Guide.state())
  }).catch(function () { app.hidden = false })
  Guide.onChange(render)
})();
