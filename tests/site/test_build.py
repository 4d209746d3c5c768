"""Site-level checks on the one shared strict build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import DOCS

LANGS = {"ru": "", "en": "en/"}
QUESTION_PAGE_LIMIT = 100 * 1024
NOTEBOOK_PAGE_LIMIT = 150 * 1024


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_strict_build_has_no_warnings(built_site):
    warnings = [line for line in built_site.log.splitlines() if re.match(r"^WARNING\s+-", line)]
    assert warnings == []


def test_both_languages_are_built(built_site):
    assert (built_site.site / "index.html").exists()
    assert (built_site.site / "en" / "index.html").exists()
    assert 'lang="ru"' in built_site.page("index.html")
    assert 'lang="en"' in built_site.page("en/index.html")


# ---------------------------------------------------------------- catalog


def independent_counts() -> dict[str, dict[str, tuple[int, int]]]:
    """Answered/total per section dir and language, recomputed without hooks/catalog.py.

    An answer is a `/// answer | …` block
    followed by at least 40 words (letters-first tokens) before the block's end.
    """
    counts: dict[str, dict[str, list[int]]] = {}
    for index in DOCS.glob("*/*/index.ru.md"):
        section = index.parent
        for lang in LANGS:
            answered = total = 0
            for page_ru in section.glob("*.ru.md"):
                if page_ru.name.startswith("index."):
                    continue
                total += 1
                page = section / page_ru.name.replace(".ru.md", f".{lang}.md")
                if page.exists():
                    text = page.read_text(encoding="utf-8")
                    m = re.search(r"^/// answer \|[^\n]*\n(.*?)^///\s*$", text, re.S | re.M)
                    if m:
                        body = re.sub(r"```.*?```|\$\$.*?\$\$|\$[^$\n]+\$|\]\([^)]*\)|\{#[^}]*\}", " ", m.group(1), flags=re.S)
                        answered += len(re.findall(r"[^\W\d_][\w'’-]*", body)) >= 40
            counts.setdefault(section.relative_to(DOCS).as_posix(), {})[lang] = (answered, total)
    return counts


@pytest.mark.parametrize("lang", LANGS)
def test_section_badges_match_independent_count(built_site, lang):
    counts = independent_counts()
    for section, per_lang in counts.items():
        answered, total = per_lang[lang]
        html = built_site.page(f"{LANGS[lang]}{section}/index.html")
        summary = re.search(r'class="q-summary">.*?data-answered="(\d+)" data-total="(\d+)"', html, re.S)
        assert summary, f"no progress on {section} ({lang})"
        assert (int(summary.group(1)), int(summary.group(2))) == (answered, total), f"{section} ({lang})"
        nav_badges = re.findall(r"\((\d+)/(\d+)\)", html)
        assert (str(answered), str(total)) in nav_badges, f"nav badge of {section} ({lang})"


@pytest.mark.parametrize("lang", LANGS)
def test_part_and_overall_totals(built_site, lang):
    counts = independent_counts()
    overall = [0, 0]
    home = built_site.page(f"{LANGS[lang]}index.html")
    for part in sorted({s.split("/")[0] for s in counts}):
        a = sum(v[lang][0] for k, v in counts.items() if k.startswith(part + "/"))
        t = sum(v[lang][1] for k, v in counts.items() if k.startswith(part + "/"))
        overall[0] += a
        overall[1] += t
        part_html = built_site.page(f"{LANGS[lang]}{part}/index.html")
        assert f'data-answered="{a}" data-total="{t}"' in part_html, part
        assert f"({a}/{t})" in home, f"home badge of {part}"
    assert re.search(rf'q-summary--total">.*?data-answered="{overall[0]}" data-total="{overall[1]}"', home, re.S)


@pytest.mark.parametrize("lang", LANGS)
def test_questions_json_contract(built_site, lang):
    data = json.loads((built_site.site / LANGS[lang] / "questions.json").read_text(encoding="utf-8"))
    keys = {"id", "part", "section", "title", "url", "answered", "difficulty", "tags", "notebook"}
    assert set(data) == {"language", "parts", "questions"} and data["language"] == lang
    assert data["questions"], "empty catalog"
    sections = {(p["key"], s["key"]) for p in data["parts"] for s in p["sections"]}
    assert {(q["part"], q["section"]) for q in data["questions"]} == sections
    ids = [q["id"] for q in data["questions"]]
    assert len(ids) == len(set(ids))
    counts = independent_counts()
    assert len(ids) == sum(v[lang][1] for v in counts.values())
    for q in data["questions"]:
        assert set(q) == keys
        assert isinstance(q["answered"], bool) and isinstance(q["tags"], list)
        assert q["difficulty"] in ("junior", "middle", "senior")
        assert q["url"].startswith(LANGS[lang]) and (built_site.site / q["url"] / "index.html").exists(), q["url"]
        if q["notebook"]:
            assert (built_site.site / LANGS[lang] / "notebooks" / q["notebook"] / "index.html").exists()
    answered = sum(q["answered"] for q in data["questions"])
    assert answered == sum(v[lang][0] for v in counts.values())
    short = json.loads((built_site.site / LANGS[lang] / "short-answers.json").read_text(encoding="utf-8"))
    assert set(short) == {q["id"] for q in data["questions"] if q["answered"]}   # answered ones, rendered
    for html in short.values():
        assert html.startswith("<p>") and "arithmatex" not in html and "<h2" not in html


# ---------------------------------------------------------------- weight and head


def test_question_pages_stay_light(built_site):
    data = json.loads((built_site.site / "questions.json").read_text(encoding="utf-8"))
    heavy = []
    for lang, prefix in LANGS.items():
        for q in data["questions"]:
            url = q["url"] if lang == "ru" else prefix + q["url"]
            size = (built_site.site / url / "index.html").stat().st_size
            if size > QUESTION_PAGE_LIMIT:
                heavy.append(f"{url}: {size // 1024} KB")
    assert heavy == []


def test_notebook_pages_stay_light(built_site):
    pages = list(built_site.site.glob("notebooks/*/index.html")) + list(built_site.site.glob("en/notebooks/*/index.html"))
    assert pages, "no notebook pages were built"
    heavy = [f"{p.relative_to(built_site.site)}: {p.stat().st_size // 1024} KB" for p in pages
             if p.stat().st_size > NOTEBOOK_PAGE_LIMIT]
    assert heavy == []


def test_every_page_has_a_description_and_absolute_hreflang(built_site):
    site_url = "https://nlp-interview-guide.github.io/nlp-interview-guide/"
    for page in html_pages(built_site.site):
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue
        rel = page.relative_to(built_site.site)
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html), f"{rel}: no meta description"
        alternates = re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', html)
        assert {lang for _, lang in alternates} == {"ru", "en"}, rel
        assert all(href.startswith(site_url) for href, _ in alternates), f"{rel}: relative hreflang"


def test_no_resource_is_loaded_from_another_host(built_site):
    """Scripts, styles, images, fonts and frames all come from the site itself."""
    resource = re.compile(r'<(?:script|img|iframe|source|audio|video)[^>]*\ssrc="([^"]+)"|<link[^>]*rel="(?:stylesheet|icon|preload|modulepreload|manifest)"[^>]*href="([^"]+)"')
    offenders = []
    for page in html_pages(built_site.site):
        html = page.read_text(encoding="utf-8")
        for m in resource.finditer(html):
            url = m.group(1) or m.group(2)
            if re.match(r"^(?:[a-z]+:)?//", url) and not url.startswith("data:"):
                offenders.append(f"{page.relative_to(built_site.site)}: {url}")
    for css in built_site.site.rglob("*.css"):
        for url in re.findall(r"url\(['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(encoding="utf-8")):
            offenders.append(f"{css.relative_to(built_site.site)}: {url}")
    assert offenders == []


def test_math_is_rendered_at_build_time(built_site):
    leftovers = []
    for page in html_pages(built_site.site):
        html = page.read_text(encoding="utf-8")
        if 'class="arithmatex"' in html or "katex-error" in html:
            leftovers.append(str(page.relative_to(built_site.site)))
    assert leftovers == []
    assert (built_site.site / "assets" / "math" / "math.css").exists()
    assert (built_site.site / "assets" / "math" / "noto-sans-math.woff2").exists()


def test_each_language_has_its_own_search_index(built_site):
    ru = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((built_site.site / "search" / "search_index.en.json").read_text(encoding="utf-8"))
    assert ru["docs"] and en["docs"]
    assert not any(d["location"].startswith("en/") for d in ru["docs"])
    assert all(d["location"].startswith("en/") for d in en["docs"])
