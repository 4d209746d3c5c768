"""What the study tools ship, checked in the one shared build: the catalogs and short answers, the
practice page's weight, the Anki deck and TSV, print views, the service worker, the tag index."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile

import pytest

from guide import anki

LANGS = {"ru": "", "en": "en/"}
PRACTICE_LIMIT = 150 * 1024
CATALOG_LIMIT = 100 * 1024          # every section list, the home page and the progress page load it
ANSWERS_LIMIT = 350 * 1024          # the practice page's short answers (and the offline copy)


def catalog(built_site, lang: str) -> dict:
    return json.loads((built_site.site / LANGS[lang] / "questions.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_practice_page_and_catalog_stay_light(built_site, lang):
    site = built_site.site
    own = [site / LANGS[lang] / "practice" / "index.html"] + [site / "assets" / "javascripts" / name for name in
                                                              ("practice.js", "guide.js", "guide/store.js", "vendor/ts-fsrs.js")]
    size = sum(p.stat().st_size for p in own)
    assert size <= PRACTICE_LIMIT, f"practice page HTML + JS: {size // 1024} KB"
    assert (site / LANGS[lang] / "questions.json").stat().st_size <= CATALOG_LIMIT
    assert (site / LANGS[lang] / "short-answers.json").stat().st_size <= ANSWERS_LIMIT


def apkg_notes(path):
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
    db_path = path.with_suffix(".sqlite")
    db_path.write_bytes(data)
    with sqlite3.connect(db_path) as db:
        notes = db.execute("select id, guid, flds from notes order by id").fetchall()
        cards = db.execute("select id, nid from cards").fetchall()
    db_path.unlink()
    return notes, cards


@pytest.mark.parametrize("lang", LANGS)
def test_anki_deck_has_one_note_per_answered_question_with_stable_ids(built_site, lang, tmp_path):
    apkg = built_site.site / LANGS[lang] / "downloads" / f"nlp-interview-guide.{lang}.apkg"
    copy = tmp_path / apkg.name
    copy.write_bytes(apkg.read_bytes())
    notes, cards = apkg_notes(copy)
    answered = [q for q in catalog(built_site, lang)["questions"] if q["answered"]]
    assert len(notes) == len(answered) == len(cards)
    by_id = {flds.split("\x1f")[2]: (nid, guid, flds) for nid, guid, flds in notes}
    assert set(by_id) == {q["id"] for q in answered}
    for q in answered:
        nid, guid, flds = by_id[q["id"]]
        assert guid == anki.genanki.guid_for(anki.SITE_KEY, lang, q["id"])          # what Anki matches on import
        assert nid == anki.StableNote(f"{lang}/{q['id']}", model=anki.model(lang, {"deck_name": "x"}), fields=["", "", ""])._ids[0]
        front, back, _ = flds.split("\x1f")
        assert front == q["title"] and q["url"] in back and "\\(" in back + "\\("
    # a second deck written later from the same rows: the same note and card ids, only the clock differs
    again = tmp_path / "again.apkg"
    rows = [{"guid": guid, "id": f.split("\x1f")[2], "front": f.split("\x1f")[0], "short": "x", "url": "u", "tags": []}
            for _, guid, f in notes]
    anki.write_apkg(again, rows, lang, {"deck_name": "Deck", "deck_full_answer": "Full"}, timestamp=2_000_000_000)
    notes2, cards2 = apkg_notes(again)
    assert [n[:2] for n in notes2] == [n[:2] for n in notes] and sorted(cards2) == sorted(cards)


@pytest.mark.parametrize("lang", LANGS)
def test_tsv_export_matches_the_deck(built_site, lang):
    tsv = (built_site.site / LANGS[lang] / "downloads" / f"nlp-interview-guide.{lang}.tsv").read_text(encoding="utf-8")
    header = [line for line in tsv.splitlines() if line.startswith("#")]
    rows = [line.split("\t") for line in tsv.splitlines() if not line.startswith("#")]
    assert "#guid column:1" in header and "#html:true" in header
    answered = {q["id"]: q for q in catalog(built_site, lang)["questions"] if q["answered"]}
    assert {row[3] for row in rows} == set(answered) and all(len(row) == 5 for row in rows)


def test_print_views_exist_for_answered_sections_and_stay_out_of_search_and_navigation(built_site):
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any("/print/" in d["location"] for d in index["docs"])
    for lang, prefix in LANGS.items():
        data = catalog(built_site, lang)
        for part in data["parts"]:
            for section in part["sections"]:
                answered = [q for q in data["questions"] if q["section"] == section["key"] and q["answered"]]
                view = built_site.site / section["url"] / "print" / "index.html"
                assert view.exists() == bool(answered), section["url"]
                if answered:
                    html = view.read_text(encoding="utf-8")
                    assert html.count('<details class="answer" open') == len(answered)
                    listing = (built_site.site / section["url"] / "index.html").read_text(encoding="utf-8")
                    assert 'href="print/"' in listing
    home = built_site.page("index.html")
    assert "/print/" not in re.sub(r'<article.*?</article>', "", home, flags=re.S)


def test_service_worker_precaches_what_practice_needs(built_site):
    sw = (built_site.site / "sw.js").read_text(encoding="utf-8")
    version = re.search(r'const VERSION = "([0-9a-f]{16})"', sw)
    assert version, "no build version in sw.js"
    paths = json.loads(re.search(r"const PRECACHE = (\[.*?\])\n", sw).group(1))
    for wanted in ("", "practice/", "progress/", "questions.json", "short-answers.json", "en/", "en/practice/",
                   "en/questions.json", "en/short-answers.json",
                   "assets/javascripts/vendor/ts-fsrs.js", "assets/javascripts/practice.js", "assets/math/noto-sans-math.woff2"):
        assert wanted in paths, wanted
    for path in paths:
        target = built_site.site / path
        assert target.is_file() or (target / "index.html").is_file(), path
    assert not any(p.endswith(".map") for p in paths)


@pytest.mark.parametrize("lang", LANGS)
def test_tag_index_lists_this_languages_questions_by_tag(built_site, lang):
    html = built_site.page(f"{LANGS[lang]}tags/index.html")
    data = catalog(built_site, lang)
    tags = {t for q in data["questions"] for t in q["tags"]}
    for tag in tags:
        assert f'id="tag:{tag}"' in html, tag
    q = next(q for q in data["questions"] if q["answered"])
    page = built_site.page(q["url"] + "index.html")
    assert 'class="md-tag"' in page and "tags/#tag:" in page
