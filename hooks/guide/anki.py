"""The deck as files to take away: an Anki package (.apkg, built with genanki) and a TSV.

One note per answered question: the title on the front, the short answer and a
link to the full answer on the back.  Every id is derived from the question id
and the language, never from the build time, so importing an updated deck
updates the reader's cards instead of duplicating them:

- the note's GUID (what Anki matches on import) is ``guid_for(site, lang, id)``;
- the note and card ids are fixed numbers derived from the same key;
- the model and deck ids are fixed per site and language.

The TSV carries the same GUID in its first column (Anki's ``#guid column``
header), so importing it updates the same notes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

import genanki

SITE_KEY = "nlp-interview-guide"
CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.45; text-align: left;
  color: #1b1b1f; background: #fff; max-width: 42em; margin: 0 auto; }
.card a { color: #3949ab; } .full-answer { margin-top: 1em; font-size: 0.9em; }
.nightMode.card { color: #e6e6eb; background: #1e1e24; } .nightMode .card a { color: #9fa8da; }"""


def stable_int(key: str, low: int, span: int) -> int:
    return low + int(hashlib.sha256(f"{SITE_KEY}/{key}".encode()).hexdigest(), 16) % span


def model(lang: str, strings: dict) -> genanki.Model:
    return genanki.Model(
        stable_int(f"model/{lang}", 1 << 30, 1 << 30), f"{strings['deck_name']} ({lang})",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Id"}],
        templates=[{"name": "Card", "qfmt": "{{Question}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}"}],
        css=CSS, sort_field_index=2)


class StableNote(genanki.Note):
    """A note whose note and card ids come from its key, not from the build's clock."""

    def __init__(self, key: str, **kwargs):
        super().__init__(**kwargs)
        base = stable_int(f"note/{key}", 1_500_000_000_000, 10**11) // 2 * 2
        self._ids = (base, base + 1)                # the note's id, its card's id

    def write_to_db(self, cursor, timestamp, deck_id, id_gen):
        super().write_to_db(cursor, timestamp, deck_id, iter(self._ids))


def back(short_html: str, url: str, strings: dict) -> str:
    return f'{short_html}<p class="full-answer"><a href="{url}">{strings["deck_full_answer"]}</a></p>'


def rows(questions: Iterable, lang: str, short_of, url_of) -> list[dict]:
    """One row per answered question that has a short answer: guid, id, front, back (TeX math), url, tags."""
    out = []
    for q in questions:
        answer = short_of(q)
        if q.answered(lang) and answer is not None:
            out.append({"guid": genanki.guid_for(SITE_KEY, lang, q.id), "id": q.id, "front": q.title(lang),
                        "short": answer.tex, "url": url_of(q), "tags": [f"nlp::{t}" for t in q.tags]})
    return out


def write_apkg(path: Path, table: list[dict], lang: str, strings: dict, timestamp: float) -> None:
    note_model = model(lang, strings)
    deck = genanki.Deck(stable_int(f"deck/{lang}", 1 << 30, 1 << 30), strings["deck_name"])
    for row in table:
        deck.add_note(StableNote(f"{lang}/{row['id']}", model=note_model, guid=row["guid"], tags=row["tags"],
                                 fields=[row["front"], back(row["short"], row["url"], strings), row["id"]]))
    path.parent.mkdir(parents=True, exist_ok=True)
    genanki.Package(deck).write_to_file(str(path), timestamp=timestamp)


def tsv(table: list[dict], strings: dict) -> str:
    """Anki's text import format: header lines, then guid, question, answer (HTML), id, tags."""
    def cell(text: str) -> str:
        return " ".join(text.replace("\t", " ").split())

    lines = ["#separator:tab", "#html:true", "#guid column:1", "#tags column:5",
             f"#deck:{strings['deck_name']}", "#columns:GUID\tQuestion\tAnswer\tId\tTags"]
    for row in table:
        lines.append("\t".join([row["guid"], cell(row["front"]), cell(back(row["short"], row["url"], strings)),
                                row["id"], " ".join(row["tags"])]))
    return "\n".join(lines) + "\n"


def note_count(path: Path) -> int:
    """Notes in an .apkg (for the build's own log and the tests)."""
    import sqlite3
    import tempfile
    import zipfile

    with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as tmp:
        z.extract("collection.anki2", tmp)
        with sqlite3.connect(Path(tmp) / "collection.anki2") as db:
            return db.execute("select count(*) from notes").fetchone()[0]

