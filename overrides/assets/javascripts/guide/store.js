/* The reader's progress, kept in this browser only (localStorage), keyed by question id.

   State (version 2), the same for every language of the site:
     { version: 2,
       learned: { "<id>": "<ISO date>" },   marked "learned" by the reader
       flagged: { "<id>": "<ISO date>" },   flagged for revision
       cards:   { "<id>": <FSRS card> },    spaced-repetition state (ts-fsrs), dates as ISO strings
       updated: "<ISO date>" }

   - Version 1 (before the practice page) was a JSON array of learned ids under
     "nlp-guide.learned"; it is migrated on first read and left in place.
   - Storage that cannot be read (corrupted, hand-edited, another app's) never
     breaks a page: it is copied aside to "nlp-guide.progress.corrupt" (an older,
     different copy there moves to "nlp-guide.progress.corrupt.<ms>"), and the
     reader starts from the version-1 list if there is one, else afresh; the
     progress page says so.
   - Ids, not URLs: progress survives edits, renames and moves of pages.

   Pure functions (parse, merge, status …) take and return plain objects, so
   tests/js/store.test.cjs checks them in Node without a browser. */
(function (root, factory) {
  var api = factory()
  if (typeof module === "object" && module.exports) module.exports = api
  else root.GuideStore = api
})(typeof self !== "undefined" ? self : this, function () {
  "use strict"

  var KEY = "nlp-guide.progress"
  var OLD_KEY = "nlp-guide.learned"
  var CORRUPT_KEY = "nlp-guide.progress.corrupt"
  var VERSION = 2
  var APP = "nlp-interview-guide"
  var ID = /^(?:[1-9][0-9]{0,3}|[a-z][1-9][0-9]{0,2})$/
  var CARD_NUMBERS = ["stability", "difficulty", "elapsed_days", "scheduled_days", "reps", "lapses", "state"]

  function StoreError(reason, detail) {
    this.name = "StoreError"
    this.reason = reason          // not_json | not_ours | newer_version | bad_data
    this.message = reason + (detail ? ": " + detail : "")
  }
  StoreError.prototype = Object.create(Error.prototype)

  function empty() {
    return { version: VERSION, learned: {}, flagged: {}, cards: {}, updated: null }
  }

  function isDate(value) {
    return typeof value === "string" && !isNaN(Date.parse(value))
  }

  function idMap(value, what) {
    if (value === undefined) return {}
    var out = {}
    if (Array.isArray(value)) {                      // version 1, or a plain list of ids
      value.forEach(function (id) {
        if (typeof id !== "string" || !ID.test(id)) throw new StoreError("bad_data", what + ": " + id)
        out[id] = null
      })
      return out
    }
    if (!value || typeof value !== "object") throw new StoreError("bad_data", what)
    Object.keys(value).forEach(function (id) {
      if (!ID.test(id)) throw new StoreError("bad_data", what + ": " + id)
      if (value[id] !== null && !isDate(value[id])) throw new StoreError("bad_data", what + " date of " + id)
      out[id] = value[id]
    })
    return out
  }

  function card(value, id) {
    if (!value || typeof value !== "object") throw new StoreError("bad_data", "card " + id)
    if (!isDate(value.due)) throw new StoreError("bad_data", "due date of card " + id)
    CARD_NUMBERS.forEach(function (key) {
      if (typeof value[key] !== "number" || !isFinite(value[key])) throw new StoreError("bad_data", key + " of card " + id)
    })
    if (value.last_review != null && !isDate(value.last_review)) throw new StoreError("bad_data", "last review of card " + id)
    var out = {}
    Object.keys(value).forEach(function (key) { out[key] = value[key] })
    return out
  }

  /* Any stored or imported value → a valid version-2 state, or StoreError. */
  function normalize(data) {
    if (Array.isArray(data)) data = { version: 1, learned: data }
    if (!data || typeof data !== "object") throw new StoreError("not_ours")
    if (typeof data.version !== "number") throw new StoreError("not_ours")
    if (data.version > VERSION) throw new StoreError("newer_version", String(data.version))
    var cards = {}
    if (data.cards !== undefined) {
      if (!data.cards || typeof data.cards !== "object" || Array.isArray(data.cards)) throw new StoreError("bad_data", "cards")
      Object.keys(data.cards).forEach(function (id) {
        if (!ID.test(id)) throw new StoreError("bad_data", "card id " + id)
        cards[id] = card(data.cards[id], id)
      })
    }
    return {
      version: VERSION,
      learned: idMap(data.learned, "learned"),
      flagged: idMap(data.flagged, "flagged"),
      cards: cards,
      updated: isDate(data.updated) ? data.updated : null
    }
  }

  function parse(text) {
    var data
    try { data = JSON.parse(text) } catch (e) { throw new StoreError("not_json") }
    return normalize(data)
  }

  function later(a, b) {                               // the more recent of two ISO dates (null = oldest)
    if (!a) return b
    if (!b) return a
    return Date.parse(a) >= Date.parse(b) ? a : b
  }

  function reviewed(c) {
    return c && c.last_review ? Date.parse(c.last_review) : -1
  }

  /* Union of two states; for a card reviewed in both, the later review wins. */
  function merge(a, b) {
    var out = empty()
    ;["learned", "flagged"].forEach(function (kind) {
      [a[kind], b[kind]].forEach(function (map) {
        Object.keys(map).forEach(function (id) { out[kind][id] = later(out[kind][id] || null, map[id]) })
      })
    })
    Object.keys(a.cards).concat(Object.keys(b.cards)).forEach(function (id) {
      var x = a.cards[id], y = b.cards[id]
      out.cards[id] = !x ? y : !y ? x : (reviewed(y) > reviewed(x) || (reviewed(y) === reviewed(x) && y.reps > x.reps) ? y : x)
    })
    out.updated = later(a.updated, b.updated)
    return out
  }

  /* One of: "due" (a card whose review time has come), "learned" (marked learned, or a card that
     has graduated to review and is not due), "learning" (a card still in its first short steps, or
     relearning after a lapse), "new" (neither marked nor practised). FSRS card states: 0 new,
     1 learning, 2 review, 3 relearning. */
  function status(state, id, now) {
    var c = state.cards[id]
    if (c && Date.parse(c.due) <= now.getTime()) return "due"
    if (Object.prototype.hasOwnProperty.call(state.learned, id) || (c && c.state === 2)) return "learned"
    if (c && c.reps > 0) return "learning"
    return "new"
  }

  function flagged(state, id) {
    return Object.prototype.hasOwnProperty.call(state.flagged, id)
  }

  function matches(state, id, wanted, now) {           // wanted: "", a status, or "flagged"
    if (!wanted) return true
    return wanted === "flagged" ? flagged(state, id) : status(state, id, now) === wanted
  }

  function counts(state, ids, now) {
    var out = { "new": 0, learning: 0, due: 0, learned: 0, flagged: 0, total: ids.length }
    ids.forEach(function (id) {
      out[status(state, id, now)] += 1
      if (flagged(state, id)) out.flagged += 1
    })
    return out
  }

  function nextDue(state, ids) {                        // earliest due date among these ids' cards
    var best = null
    ids.forEach(function (id) {
      var c = state.cards[id]
      if (c && (!best || Date.parse(c.due) < Date.parse(best))) best = c.due
    })
    return best
  }

  function toggle(state, kind, id, on, when) {
    var out = normalize(state)
    if (on) out[kind][id] = when.toISOString()
    else delete out[kind][id]
    out.updated = when.toISOString()
    return out
  }

  function withCard(state, id, cardValue, when) {
    var out = normalize(state)
    out.cards[id] = card(cardValue, id)
    out.updated = when.toISOString()
    return out
  }

  function exported(state, when) {
    var out = normalize(state)
    out.app = APP
    out.exported = when.toISOString()
    return out
  }

  function imported(state, text) {                      // merge a file's content into state; StoreError if it is not ours
    var data
    try { data = JSON.parse(text) } catch (e) { throw new StoreError("not_json") }
    if (!data || typeof data !== "object" || data.app !== APP) throw new StoreError("not_ours")
    return merge(state, normalize(data))
  }

  /* ---- localStorage (guarded: private mode, quota, other apps' data) ---- */

  function read(storage) {
    var raw = null, problem = null
    try { raw = storage.getItem(KEY) } catch (e) { return { state: empty(), problem: "unavailable" } }
    if (raw !== null) {
      try { return { state: parse(raw), problem: null } } catch (e) { problem = "corrupt" }
      try {                                          // the latest unreadable value under CORRUPT_KEY, older ones kept beside it
        var kept = storage.getItem(CORRUPT_KEY)
        if (kept !== null && kept !== raw) storage.setItem(CORRUPT_KEY + "." + Date.now(), kept)
        if (kept !== raw) storage.setItem(CORRUPT_KEY, raw)
      } catch (e) { /* ignore */ }
    }
    var old = null
    try { old = storage.getItem(OLD_KEY) } catch (e) { /* ignore */ }
    if (old !== null) {
      try {
        var migrated = normalize(JSON.parse(old))
        if (!problem) write(storage, migrated)
        return { state: migrated, problem: problem }
      } catch (e) { /* an unreadable version-1 list: start empty */ }
    }
    return { state: empty(), problem: problem }
  }

  function write(storage, state) {
    try { storage.setItem(KEY, JSON.stringify(state)); return true } catch (e) { return false }
  }

  return {
    KEY: KEY, OLD_KEY: OLD_KEY, CORRUPT_KEY: CORRUPT_KEY, VERSION: VERSION, APP: APP, StoreError: StoreError,
    empty: empty, parse: parse, normalize: normalize, merge: merge, status: status, flagged: flagged,
    matches: matches, counts: counts, nextDue: nextDue, toggle: toggle, withCard: withCard,
    exported: exported, imported: imported, read: read, write: write
  }
})
