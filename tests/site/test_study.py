"""The study tools in Debian's Chromium: practice with spaced repetition, the reader's progress,
flags and filters, corrupted storage, printing, offline reading, accessibility."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
KEY = "nlp-guide.progress"


def catalog(built_site, lang="ru") -> dict:
    return json.loads((built_site.site / ("" if lang == "ru" else "en/") / "questions.json").read_text(encoding="utf-8"))


def stored(page) -> dict:
    raw = page.evaluate(f"() => localStorage.getItem({KEY!r})")
    return json.loads(raw) if raw else {}


def practice(tab, path="practice/"):
    page = tab.goto(path)
    page.locator(".practice-card__title").wait_for(state="visible")
    return page


def test_practice_filter_reveal_grade_and_the_schedule_survives_a_reload(tab, built_site):
    page = tab.goto("")
    page.wait_for_function("() => document.querySelector('.q-due-summary__text').textContent")
    assert "0" in page.locator(".q-due-summary__text").inner_text()
    page = practice(tab)
    page.select_option(".practice-filters select[name=section]", "classic-nlp/metrics")
    page.wait_for_timeout(200)
    title = page.locator(".practice-card__title").inner_text()
    metrics = [q for q in catalog(built_site)["questions"] if q["section"] == "metrics" and q["answered"]]
    assert title in [q["title"] for q in metrics]
    assert not page.locator(".practice-card__answer").is_visible()
    page.locator(".practice-show").click()
    short = page.locator(".practice-card__short")
    assert short.is_visible() and len(short.inner_text()) > 100
    assert page.locator(".practice-card__link").get_attribute("href").endswith("/classic-nlp/metrics/" + next(
        q for q in metrics if q["title"] == title)["url"].split("/")[-2] + "/")
    page.locator('.practice-grade[data-rating="1"]').click()             # Again: due again within minutes
    qid = next(q["id"] for q in metrics if q["title"] == title)
    card = stored(page)["cards"][qid]
    assert card["reps"] == 1 and card["state"] == 1
    assert "1" in page.locator(".practice-summary__text").inner_text()
    page.reload(wait_until="load")
    page.locator(".practice-card__title").wait_for(state="visible")
    assert stored(page)["cards"][qid] == card
    # once its time has come, the card is due: the home page counts it and practice shows it first
    page.evaluate(f"""() => {{ const s = JSON.parse(localStorage.getItem({KEY!r}));
        s.cards[{qid!r}].due = "2026-01-01T00:00:00.000Z"; localStorage.setItem({KEY!r}, JSON.stringify(s)) }}""")
    page = tab.goto("")
    page.wait_for_function("() => document.querySelector('.q-due-summary__text').textContent")
    assert re.search(r"\b1\b", page.locator(".q-due-summary__text").inner_text())
    page = practice(tab)
    assert page.locator(".practice-card__title").inner_text() == title


def test_practice_with_the_keyboard_only(tab, built_site):
    page = practice(tab, "en/practice/")
    page.keyboard.press("Space")
    assert page.locator(".practice-card__answer").is_visible()
    assert page.evaluate("() => document.activeElement.dataset.rating") == "3"
    first = page.locator(".practice-card__title").inner_text()
    page.keyboard.press("4")
    assert page.locator(".practice-card__title").inner_text() != first
    assert page.evaluate("() => document.activeElement.classList.contains('practice-show')")
    page.keyboard.press("Space")
    page.keyboard.press("3")
    cards = stored(page)["cards"]
    assert len(cards) == 2 and sorted(c["state"] for c in cards.values()) == [1, 2]
    answered_en = {q["id"] for q in catalog(built_site, "en")["questions"] if q["answered"]}
    assert set(cards) <= answered_en                                   # unanswered questions are never cards


def test_progress_is_shared_by_languages_and_flags_filter_section_lists(tab, built_site):
    q = next(q for q in catalog(built_site)["questions"] if q["answered"])
    page = tab.goto(q["url"])
    page.locator("button.q-flag").click()
    assert page.locator("button.q-flag").get_attribute("aria-pressed") == "true"
    page = tab.goto("en/" + q["url"])
    assert page.locator("button.q-flag").get_attribute("aria-pressed") == "true"
    page = tab.goto(q["url"].rsplit("/", 2)[0] + "/")
    form = page.locator("form.q-filters")
    assert form.is_visible()
    rows = page.locator("tr:has(.q-row)")
    total = rows.count()
    page.select_option("form.q-filters select[name=status]", "flagged")
    assert page.locator("tr:has(.q-row):visible").count() == 1
    assert "1 " in form.locator(".q-filters__count").inner_text()
    page.select_option("form.q-filters select[name=status]", "")
    page.select_option("form.q-filters select[name=difficulty]", "senior")
    seniors = [x for x in catalog(built_site)["questions"] if x["section"] == q["section"] and x["difficulty"] == "senior"]
    assert page.locator("tr:has(.q-row):visible").count() == len(seniors) < total
    status = page.locator(f'.q-reader-status[data-question-id="{q["id"]}"]').inner_text()
    assert "на повторение" in status


def test_old_learned_marks_are_migrated(tab, built_site):
    page = tab.goto("")
    page.evaluate("() => localStorage.setItem('nlp-guide.learned', JSON.stringify(['1', '2']))")
    page = tab.goto("progress/")
    page.locator(".progress-parts table").first.wait_for()
    assert sorted(stored(page)["learned"]) == ["1", "2"]
    row = page.locator('tr[data-section="classic-nlp/tfidf-ml"] td').first
    assert row.inner_text() == "2"
    page = tab.goto("classic-nlp/tfidf-ml/tfidf-from-scratch/")
    assert page.locator("button.q-learned").get_attribute("aria-pressed") == "true"


def test_export_reset_import_restores_the_same_state(tab, built_site, tmp_path):
    page = practice(tab)
    for _ in range(3):
        page.keyboard.press("Space")
        page.keyboard.press("3")
    before = stored(page)
    page = tab.goto("progress/")
    page.locator(".progress-parts table").first.wait_for()
    with page.expect_download() as download:
        page.locator(".progress-export").click()
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text())["app"] == "nlp-interview-guide"
    page.locator(".progress-reset").click()
    assert page.locator(".progress-confirm").is_visible()
    page.locator(".progress-confirm__yes").click()
    assert stored(page)["cards"] == {}
    page.locator(".progress-import__file").set_input_files(str(exported))
    page.wait_for_function("() => document.querySelector('.progress-message').textContent.length > 0")
    after = stored(page)
    assert after["cards"] == before["cards"] and after["learned"] == before["learned"]
    # a foreign or damaged file: one clear message, nothing changes
    for name, content in (("notes.json", '{"hello": "world"}'), ("broken.json", "{oops")):
        bad = tmp_path / name
        bad.write_text(content)
        page.locator(".progress-import__file").set_input_files(str(bad))
        page.wait_for_timeout(300)
        assert "ничего не изменилось" in page.locator(".progress-message").inner_text()
        assert stored(page)["cards"] == before["cards"]


CORRUPTED = ["{not json", '{"version": 2, "cards": {"1": {"due": "soon"}}}', "[1, 2"]


def test_corrupted_storage_never_breaks_a_page(tab, built_site):
    """Every kind of page loads without an error over unreadable progress; for each kind of damage the
    progress page says so, the raw value is kept aside, and practice starts afresh."""
    q = next(q for q in catalog(built_site)["questions"] if q["answered"])
    for n, raw in enumerate(CORRUPTED):
        page = tab.goto("")
        page.evaluate(f"() => {{ localStorage.clear(); localStorage.setItem({KEY!r}, {json.dumps(raw)}) }}")
        tab.console.clear()
        paths = ("", q["url"], q["url"].rsplit("/", 2)[0] + "/", "practice/", "progress/") if n == 0 else ("progress/",)
        for path in paths:
            page = tab.goto(path)
            page.wait_for_load_state("networkidle")
        assert tab.console == [], raw
        notice = page.locator(".progress-notice")
        assert notice.is_visible() and "nlp-guide.progress.corrupt" in notice.inner_text(), raw
        assert page.evaluate("() => localStorage.getItem('nlp-guide.progress.corrupt')") == raw
        page = practice(tab)
        page.keyboard.press("Space")
        page.keyboard.press("3")
        assert len(stored(page)["cards"]) == 1, raw                      # a fresh start works


def test_printing_shows_answers_open(tab, built_site):
    q = next(q for q in catalog(built_site, "en")["questions"] if q["answered"])
    page = tab.goto(q["url"])
    para = page.locator("details.answer p").first
    assert not para.is_visible()
    page.emulate_media(media="print")
    assert para.is_visible()
    assert not page.locator("button.q-learned").is_visible()
    page.emulate_media(media="screen")
    section = q["url"].rsplit("/", 2)[0] + "/"
    page = tab.goto(section)
    page.locator("a.q-print-view").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(section + "print/")
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-sidebar--primary").is_visible()
    answers = page.locator("details.answer")
    answered = [x for x in catalog(built_site, "en")["questions"] if x["section"] == q["section"] and x["answered"]]
    assert answers.count() == len(answered)
    assert all(answers.nth(i).evaluate("d => d.open") for i in range(answers.count()))


def test_the_guide_works_offline_after_one_visit(browser, server, built_site):
    context = browser.new_context()
    page = context.new_page()
    q = next(q for q in catalog(built_site)["questions"] if q["answered"])
    page.goto(server + q["url"], wait_until="load")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null || !!location.reload()", timeout=10000)
    page.goto(server + q["url"], wait_until="load")               # now controlled: the page is kept
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    try:
        page.goto(server + "practice/", wait_until="load")
        page.locator(".practice-card__title").wait_for(state="visible")
        page.keyboard.press("Space")
        assert page.locator(".practice-card__short").inner_text()
        page.goto(server + q["url"], wait_until="load")
        assert q["title"] in page.locator("h1").inner_text()
        page.goto(server + "en/progress/", wait_until="load")
        page.locator(".progress-parts table").first.wait_for()
    finally:
        context.set_offline(False)
        context.close()


@pytest.mark.parametrize("home", ["", "en/"])
def test_practice_is_linked_from_the_home_page_and_the_header(tab, built_site, home):
    page = tab.goto(home)
    target = tab.base + f"{home}practice/"
    assert page.locator(".q-due-summary a").first.evaluate("a => a.href") == target
    tabs = page.locator(".md-tabs a.md-tabs__link").evaluate_all("links => links.map(a => a.href)")
    assert target in tabs
    page.locator(".q-due-summary a").first.click()
    page.locator(".practice-card__title").wait_for(state="visible")


@pytest.mark.parametrize("path", ["practice/", "progress/", "tags/", "en/practice/", "en/progress/", "en/tags/",
                                  "classic-nlp/metrics/print/"])
def test_study_pages_have_no_axe_violations_errors_or_third_party_requests(tab, built_site, path):
    page = tab.goto(path)
    page.wait_for_load_state("networkidle")
    if "practice" in path:
        page.keyboard.press("Space")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(' ')}`);
    }""")
    assert violations == []
    assert tab.console == [] and tab.failed == [] and tab.third_party() == []


def test_a_new_deploy_replaces_the_offline_cache(browser, tmp_path):
    """The real worker (hooks/guide/service-worker.js via hooks/offline.py) on a tiny site: a new
    version stores its files under its own name and deletes the old cache."""
    import functools
    import http.server
    import threading

    import offline

    (tmp_path / "index.html").write_text("<!doctype html><title>t</title><p>v1</p>"
                                         "<script>navigator.serviceWorker.register('sw.js')</script>")
    (tmp_path / "a.txt").write_text("asset")
    (tmp_path / "sw.js").write_text(offline.worker("aaaaaaaaaaaaaaaa", ["", "a.txt"]))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/", wait_until="load")
        caches = """async () => { const out = []; for (const name of await caches.keys())
            out.push(name + ':' + (await (await caches.open(name)).keys()).length); return out.join() }"""
        page.evaluate("() => navigator.serviceWorker.ready")
        page.wait_for_function(f"async () => (await ({caches})()) === 'nlp-guide-aaaaaaaaaaaaaaaa:2'")
        (tmp_path / "sw.js").write_text(offline.worker("bbbbbbbbbbbbbbbb", ["", "a.txt"]))
        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
        page.wait_for_function(f"async () => (await ({caches})()) === 'nlp-guide-bbbbbbbbbbbbbbbb:2'", timeout=15000)
    finally:
        context.close()
        httpd.shutdown()
