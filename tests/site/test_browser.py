"""What a reader sees, in Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def first_answered(built_site, lang: str = "ru") -> str:
    data = json.loads((built_site.site / ("" if lang == "ru" else "en/") / "questions.json").read_text(encoding="utf-8"))
    return next(q["url"] for q in data["questions"] if q["answered"])


def pages_to_visit(built_site) -> list[str]:
    q = first_answered(built_site)
    section = q.rsplit("/", 2)[0] + "/"
    return ["", section, q, "notebooks/tfidf/", "en/", "en/" + section, "en/" + q, "en/notebooks/tfidf/"]


def test_answer_opens_and_closes_by_mouse_and_keyboard(tab, built_site):
    page = tab.goto(first_answered(built_site))
    details = page.locator("details.answer").first
    summary = details.locator("summary")
    assert details.get_attribute("open") is None, "the answer must start closed"
    assert not details.locator("p").first.is_visible()
    summary.click()
    page.wait_for_timeout(200)
    assert details.evaluate("d => d.open")
    assert details.locator("p").first.is_visible()
    summary.click()
    page.wait_for_timeout(200)
    assert not details.evaluate("d => d.open")
    summary.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert details.evaluate("d => d.open")
    page.keyboard.press("Space")
    page.wait_for_timeout(200)
    assert not details.evaluate("d => d.open")


def test_link_to_a_heading_inside_the_answer_opens_it(tab, built_site):
    page = tab.goto(first_answered(built_site) + "#short")
    page.wait_for_timeout(300)
    assert page.locator("details.answer").first.evaluate("d => d.open")


def test_math_is_rendered_with_the_sites_math_font(tab, built_site):
    page = tab.goto(first_answered(built_site))
    page.locator("details.answer summary").first.click()
    assert page.locator(".katex math").count() > 0
    assert page.locator(".katex-error").count() == 0
    box = page.locator(".katex math").first.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    page.wait_for_function("() => document.fonts.check('16px \"Noto Sans Math\"')", timeout=5000)
    assert page.evaluate("() => getComputedStyle(document.querySelector('.katex math')).fontFamily").startswith('"Noto Sans Math"')
    assert not tab.third_party()


@pytest.mark.parametrize("start,target_prefix", [("", "en/"), ("en/", "")])
def test_language_switch_keeps_the_page(tab, built_site, start, target_prefix):
    q = first_answered(built_site)
    page = tab.goto(start + q)
    other = "en" if start == "" else "ru"
    page.hover(".md-header__option .md-select")
    page.locator(f'.md-select__link[hreflang="{other}"]').click()
    page.wait_for_load_state("load")
    assert page.url == tab.base + target_prefix + q


def search(tab, query: str, start: str = "") -> list[str]:
    page = tab.goto(start)
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    box.fill(query)
    page.keyboard.press("End")           # Material listens for keyup
    page.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent.match(/\\d/)", timeout=10000)
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    return [h.split("?")[0].split("#")[0][len(tab.base):] for h in hrefs]


def index_docs(built_site, russian: bool = True) -> list[dict]:
    name = "search_index.json" if russian else "search_index.en.json"
    return json.loads((built_site.site / "search" / name).read_text(encoding="utf-8"))["docs"]


def pages_with(built_site, word: str, russian: bool = True) -> set[str]:
    out = set()
    for doc in index_docs(built_site, russian):
        loc = doc["location"].split("#")[0]
        if loc.startswith("en/") == russian:
            continue
        if re.search(rf"(?<![\w]){word}(?![\w])", doc["text"] + " " + doc["title"], re.I):
            out.add(loc)
    return out


@pytest.mark.parametrize("query,indexed_form", [("матрицу", "матрица"), ("токенизатора", "токенизатор")])
def test_russian_search_finds_other_word_forms(tab, built_site, query, indexed_form):
    expected = pages_with(built_site, indexed_form)
    assert expected, f"no Russian page says '{indexed_form}'"
    found = search(tab, query)
    assert found, f"'{query}' found nothing"
    assert set(found) & expected, f"'{query}' should find a page saying '{indexed_form}'"
    assert not any(f.startswith("en/") for f in found), "results must stay in Russian"


def test_english_terms_are_found_on_russian_pages(tab, built_site):
    found = search(tab, "attention")
    assert found and not any(f.startswith("en/") for f in found)
    assert set(found) & pages_with(built_site, "attention")


def test_english_search_stays_in_english(tab, built_site):
    found = search(tab, "tokenizers", start="en/")
    assert found and all(f.startswith("en/") for f in found)
    assert set(found) & pages_with(built_site, "tokenizer", russian=False)
    assert any(u.endswith("/search/search_index.en.json") for u in tab.requests)
    assert not any(u.endswith("/search/search_index.json") for u in tab.requests)


def test_dark_mode_toggle(tab, built_site):
    page = tab.goto("")
    before = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_timeout(200)
    after = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}


def test_no_third_party_requests_and_no_console_errors(tab, built_site):
    problems = []
    for path in pages_to_visit(built_site):
        tab.console.clear(); tab.failed.clear(); tab.requests.clear()
        page = tab.goto(path)
        page.wait_for_load_state("networkidle")      # the search worker's scripts too
        for d in page.locator("details").all():
            d.evaluate("d => d.open = true")
        page.wait_for_load_state("networkidle")
        if tab.third_party():
            problems.append(f"/{path}: third-party requests {tab.third_party()}")
        if tab.console:
            problems.append(f"/{path}: console {tab.console}")
        if tab.failed:
            problems.append(f"/{path}: failed requests {tab.failed}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("which", ["home", "section", "question"])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_axe_finds_no_violations(tab, built_site, which, lang):
    q = first_answered(built_site)
    path = {"home": "", "section": q.rsplit("/", 2)[0] + "/", "question": q}[which]
    page = tab.goto(("" if lang == "ru" else "en/") + path)
    page.locator("details.answer").first.evaluate("d => d.open = true") if which == "question" else None
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(' ')}`);
    }""")
    assert violations == []


def test_mark_as_learned_persists_and_counts(tab, built_site):
    q = first_answered(built_site)
    page = tab.goto(q)
    button = page.locator("button.q-learned")
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    page = tab.goto("en/" + q)                              # ids are shared by both languages
    assert page.locator("button.q-learned").get_attribute("aria-pressed") == "true"
    page = tab.goto(q.rsplit("/", 2)[0] + "/")
    data = json.loads((built_site.site / "questions.json").read_text(encoding="utf-8"))
    qid = next(x["id"] for x in data["questions"] if x["url"] == q)
    status = page.locator(f'.q-reader-status[data-question-id="{qid}"]')
    assert status.inner_text() == "изучен"
    page = tab.goto("")
    summary = page.locator(".q-learned-summary")
    summary.wait_for(state="visible")
    total = len(json.loads((built_site.site / "questions.json").read_text(encoding="utf-8"))["questions"])
    assert f"1 из {total}" in summary.inner_text()


def test_aligned_equations_keep_their_columns(tab, built_site):
    """Chromium ignores MathML's columnalign: math.css aligns \\begin{aligned} columns right | left."""
    page_path = next(p for p in sorted(built_site.site.rglob("index.html"))
                     if 'columnalign="right left"' in p.read_text(encoding="utf-8") and "/print/" not in str(p))
    page = tab.goto(page_path.parent.relative_to(built_site.site).as_posix() + "/")
    cells = page.evaluate("""() => {
        const row = document.querySelector('mtable[columnalign^="right left"] > mtr');
        return [...row.children].slice(0, 2).map(c => getComputedStyle(c).textAlign) }""")
    assert cells == ["right", "left"]
