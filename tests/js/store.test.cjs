// Unit tests of the reader's progress store (overrides/assets/javascripts/guide/store.js),
// run by Node's own test runner (tests/test_js.py calls `node --test tests/js`).
"use strict"
const test = require("node:test")
const assert = require("node:assert/strict")
const path = require("node:path")
const Store = require(path.join(__dirname, "../../overrides/assets/javascripts/guide/store.js"))

const NOW = new Date("2026-12-02T12:00:00Z")
const card = (due, extra = {}) => Object.assign({ due, stability: 2.3, difficulty: 5, elapsed_days: 0, scheduled_days: 0,
  reps: 1, lapses: 0, state: 1, learning_steps: 0, last_review: "2026-12-01T12:00:00.000Z" }, extra)

class MemoryStorage {
  constructor(items = {}, broken = false) { this.items = Object.assign({}, items); this.broken = broken }
  getItem(key) { if (this.broken) throw new Error("denied"); return key in this.items ? this.items[key] : null }
  setItem(key, value) { if (this.broken) throw new Error("denied"); this.items[key] = String(value) }
}

test("statuses: new, learning, due, learned, and flags apart", () => {
  let s = Store.empty()
  assert.equal(Store.status(s, "5", NOW), "new")
  s = Store.withCard(s, "5", card("2026-12-02T12:10:00.000Z"), NOW)
  assert.equal(Store.status(s, "5", NOW), "learning")
  s = Store.withCard(s, "6", card("2026-12-01T00:00:00.000Z", { state: 2 }), NOW)
  assert.equal(Store.status(s, "6", NOW), "due")
  s = Store.withCard(s, "7", card("2026-12-20T00:00:00.000Z", { state: 2 }), NOW)
  assert.equal(Store.status(s, "7", NOW), "learned")
  s = Store.toggle(s, "learned", "8", true, NOW)
  s = Store.toggle(s, "flagged", "8", true, NOW)
  assert.equal(Store.status(s, "8", NOW), "learned")
  assert.ok(Store.flagged(s, "8") && Store.matches(s, "8", "flagged", NOW))
  assert.deepEqual(Store.counts(s, ["5", "6", "7", "8", "9"], NOW),
    { new: 1, learning: 1, due: 1, learned: 2, flagged: 1, total: 5 })
  assert.equal(Store.nextDue(s, ["5", "6", "7"]), "2026-12-01T00:00:00.000Z")
  s = Store.toggle(s, "flagged", "8", false, NOW)
  assert.ok(!Store.flagged(s, "8"))
})

test("version 1 (a list of learned ids) is migrated, and left in place", () => {
  const storage = new MemoryStorage({ [Store.OLD_KEY]: JSON.stringify(["1", "e3"]) })
  const { state, problem } = Store.read(storage)
  assert.equal(problem, null)
  assert.deepEqual(Object.keys(state.learned).sort(), ["1", "e3"])
  assert.equal(Store.parse(storage.getItem(Store.KEY)).learned["e3"], null)
  assert.equal(storage.getItem(Store.OLD_KEY), JSON.stringify(["1", "e3"]))
})

test("corrupted storage is kept aside and never throws", () => {
  for (const raw of ["{not json", "[1, 2", JSON.stringify({ version: 2, cards: { "3": { due: "never" } } }),
                     JSON.stringify({ version: 2, learned: ["../../etc"] }), "42", "null"]) {
    const storage = new MemoryStorage({ [Store.KEY]: raw })
    const { state, problem } = Store.read(storage)
    assert.equal(problem, "corrupt", raw)
    assert.deepEqual(state, Store.empty())
    assert.equal(storage.getItem(Store.CORRUPT_KEY), raw)
  }
  const { state, problem } = Store.read(new MemoryStorage({}, true))
  assert.equal(problem, "unavailable")
  assert.deepEqual(state, Store.empty())
  assert.equal(Store.write(new MemoryStorage({}, true), Store.empty()), false)
})

test("a second, different corruption does not overwrite the first copy", () => {
  const storage = new MemoryStorage({ [Store.KEY]: "{first" })
  Store.read(storage)
  storage.setItem(Store.KEY, "{second")
  Store.read(storage)
  Store.read(storage)                                 // reading the same damage again changes nothing
  assert.equal(storage.getItem(Store.CORRUPT_KEY), "{second")
  const older = Object.keys(storage.items).filter((k) => k.startsWith(Store.CORRUPT_KEY + "."))
  assert.deepEqual(older.map((k) => storage.getItem(k)), ["{first"])
})

test("export then import into an empty store gives the same state", () => {
  let s = Store.toggle(Store.empty(), "learned", "1", true, NOW)
  s = Store.toggle(s, "flagged", "42", true, NOW)
  s = Store.withCard(s, "a3", card("2026-12-05T00:00:00.000Z", { state: 2 }), NOW)
  const file = JSON.stringify(Store.exported(s, NOW))
  assert.deepEqual(Store.imported(Store.empty(), file), s)
})

test("import merges: union of marks, the later review of a card wins", () => {
  let mine = Store.toggle(Store.empty(), "learned", "1", true, NOW)
  mine = Store.withCard(mine, "2", card("2026-12-03T00:00:00.000Z", { last_review: "2026-12-01T00:00:00.000Z" }), NOW)
  let theirs = Store.toggle(Store.empty(), "flagged", "9", true, NOW)
  theirs = Store.withCard(theirs, "2", card("2026-12-09T00:00:00.000Z", { last_review: "2026-12-02T00:00:00.000Z", reps: 4 }), NOW)
  const merged = Store.imported(mine, JSON.stringify(Store.exported(theirs, NOW)))
  assert.deepEqual(Object.keys(merged.learned), ["1"])
  assert.deepEqual(Object.keys(merged.flagged), ["9"])
  assert.equal(merged.cards["2"].reps, 4)
  assert.deepEqual(Store.merge(merged, mine).cards["2"], merged.cards["2"])
})

test("a foreign, newer or damaged file is refused with a reason and changes nothing", () => {
  const state = Store.toggle(Store.empty(), "learned", "1", true, NOW)
  const cases = {
    not_json: "this is not JSON",
    not_ours: JSON.stringify({ version: 2, learned: {} }),
    newer_version: JSON.stringify({ app: Store.APP, version: 99 }),
    bad_data: JSON.stringify({ app: Store.APP, version: 2, cards: { "5": { due: "2026-12-01", reps: "many" } } })
  }
  for (const [reason, text] of Object.entries(cases)) {
    const before = JSON.stringify(state)
    assert.throws(() => Store.imported(state, text), err => err.reason === reason, reason)
    assert.equal(JSON.stringify(state), before)
  }
})
