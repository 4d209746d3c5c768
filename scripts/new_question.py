#!/usr/bin/env python3
"""Scaffold a new question: two pages (ru + en) with valid front matter.

Usage (from the repository root, or through ``make new ARGS="..."``)::

    python scripts/new_question.py --section classic-nlp/metrics --difficulty middle \\
        --title-ru "Чем BLEU отличается от ROUGE" --title-en "BLEU vs ROUGE" \\
        [--slug bleu-vs-rouge] [--tags metrics,bleu,rouge] [--id 105] [--docs DIR]

The script loads the catalog with ``hooks/catalog.py`` before and after
writing, so a scaffolded question passes exactly the validation the build
applies.  The answer block is written as an HTML comment: the page counts
as unanswered until an author removes the comment markers and fills it in.

Exit codes: 0 written; 2 refused (bad arguments, unknown section, taken id,
existing file); 1 the docs tree does not validate (before or after writing).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path
from typing import NoReturn, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

import catalog  # noqa: E402  (needs the path above)

PROG = "new_question.py"
PREVIEW = "http://127.0.0.1:8000"
MAX_SLUG_WORDS = 6

# Sections whose ids form a lettered series; everything else is numbered.
# Keys are "<part>" or "<part>/<section>"; the most specific one wins.
LETTER_SERIES = {
    "more-questions": "e",
    "llm/analysis": "a",
}

HEADINGS = {
    "ru": ("Ответ", [
        ("Коротко", "short"),
        ("Объяснение", "explanation"),
        ("Пример", "example"),
        ("Подводные камни", "pitfalls"),
        ("Что спросят дальше", "follow-up"),
        ("Источники", "references"),
    ]),
    "en": ("Answer", [
        ("In short", "short"),
        ("Explanation", "explanation"),
        ("Worked example", "example"),
        ("Pitfalls", "pitfalls"),
        ("Follow-up questions", "follow-up"),
        ("References", "references"),
    ]),
}

HINT = {
    "ru": "Черновик ответа. Удалите строки с маркерами комментария и заполните блок; "
          "правила — в CONTRIBUTING.ru.md и docs/FORMAT.md.txt.",
    "en": "Answer skeleton. Delete the comment marker lines and fill in the block; "
          "the rules are in CONTRIBUTING.md and docs/FORMAT.md.txt.",
}


class Refusal(Exception):
    """A reason not to write anything, shown as one line; exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:   # one line instead of usage + message
        print(f"{PROG}: error: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


def parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    p = _Parser(prog=PROG, description="Scaffold a new question page in both languages.")
    p.add_argument("--section", required=True, metavar="PART/SECTION",
                   help="where the question goes, e.g. classic-nlp/metrics")
    p.add_argument("--difficulty", required=True, metavar="LEVEL",
                   help="junior, middle or senior")
    p.add_argument("--title-ru", required=True, help="the question in Russian")
    p.add_argument("--title-en", required=True, help="the question in English")
    p.add_argument("--slug", help="file name / URL slug (default: from --title-en)")
    p.add_argument("--tags", help="comma-separated tags, lowercase-hyphen English words (default: the section name)")
    p.add_argument("--id", dest="qid", metavar="ID",
                   help="question id (default: the next free id of the section's series)")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="docs directory (default: <repo>/docs)")
    return p.parse_args(argv)


# --------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------


def slugify(text: str, max_words: int = MAX_SLUG_WORDS) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words])


def series_of(section_path: str) -> str:
    """'' for the numbered series, otherwise the letter of the section's series."""
    if section_path in LETTER_SERIES:
        return LETTER_SERIES[section_path]
    return LETTER_SERIES.get(section_path.split("/")[0], "")


def next_id(ids: list[str], series: str) -> str:
    if not series:
        return str(max((int(i) for i in ids if i.isdigit()), default=0) + 1)
    numbers = [int(i[1:]) for i in ids if i[:1] == series and i[1:].isdigit()]
    return f"{series}{max(numbers, default=0) + 1}"


def front_matter(qid: str, title: str, difficulty: str, tags: list[str]) -> str:
    id_value = int(qid) if qid.isdigit() else qid
    title_line = yaml.safe_dump({"title": title}, allow_unicode=True, width=10_000).strip()
    return (f"---\nid: {id_value}\n{title_line}\ndifficulty: {difficulty}\n"
            f"tags: [{', '.join(tags)}]\n---\n")


def skeleton(lang: str) -> str:
    summary, sections = HEADINGS[lang]
    lines = ["<!--", HINT[lang], "", f"/// answer | {summary}", ""]
    for heading, anchor in sections:
        lines += [f"## {heading} {{#{anchor}}}", "", "…", ""]
    lines += ["///", "-->"]
    return "\n".join(lines) + "\n"


def page_text(lang: str, qid: str, title: str, difficulty: str, tags: list[str]) -> str:
    return front_matter(qid, title, difficulty, tags) + "\n" + skeleton(lang)


# --------------------------------------------------------------------------
# Checks against the catalog
# --------------------------------------------------------------------------


def load(docs: Path, when: str) -> catalog.Catalog:
    try:
        return catalog.load_catalog(docs)
    except catalog.CatalogError as exc:
        print(f"{PROG}: the docs do not validate {when}: {exc}", file=sys.stderr)
        raise SystemExit(1)


def resolve_section(cat: catalog.Catalog, wanted: str) -> catalog.Group:
    wanted = wanted.strip().strip("/")
    for section in cat.sections:
        if section.path == wanted:
            return section
    known = ", ".join(s.path for s in cat.sections) or "none"
    raise Refusal(f"unknown section '{wanted}' (known: {known})")


def plan(args: argparse.Namespace, cat: catalog.Catalog) -> tuple[catalog.Group, str, str, list[str]]:
    """Validate the request; return (section, id, slug, tags) or raise Refusal."""
    section = resolve_section(cat, args.section)

    difficulty = args.difficulty.strip().lower()
    if difficulty not in catalog.DIFFICULTIES:
        raise Refusal(f"unknown difficulty '{args.difficulty}' (use one of: {', '.join(catalog.DIFFICULTIES)})")
    for flag, title in (("--title-ru", args.title_ru), ("--title-en", args.title_en)):
        if not title.strip():
            raise Refusal(f"{flag} is empty: give the question in that language")

    if args.qid is not None:
        qid = args.qid.strip().lower()
        if not catalog._ID.match(qid):
            raise Refusal(f"bad id '{args.qid}': use a number (105) or a letter and a number (e26)")
    else:
        qid = next_id(list(cat.questions), series_of(section.path))
    if qid in cat.questions:
        taken = cat.questions[qid]
        page = taken.pages.get(catalog.DEFAULT_LANGUAGE) or next(iter(taken.pages.values()))
        where = page.path
        raise Refusal(f"id {qid} is already taken by {where}")

    slug = args.slug.strip() if args.slug else slugify(args.title_en)
    if not slug:
        raise Refusal("cannot derive a slug from --title-en: pass --slug my-question")
    if not catalog._SLUG.match(slug):
        raise Refusal(f"bad slug '{slug}': use lowercase ASCII words joined by hyphens, e.g. bleu-vs-rouge")
    for lang in catalog.LANGUAGES:
        existing = args.docs / section.path / f"{slug}.{lang}.md"
        if existing.exists():
            raise Refusal(f"{section.path}/{slug}.{lang}.md already exists: choose another --slug")

    raw_tags = args.tags if args.tags is not None else section.key
    tags = [t.strip().lower() for t in raw_tags.split(",") if t.strip()]
    if not tags:
        raise Refusal("--tags is empty: give at least one tag, e.g. --tags metrics,bleu")
    for tag in tags:
        if not catalog._SLUG.match(tag):
            raise Refusal(f"bad tag '{tag}': tags are lowercase English words joined by hyphens")
    return section, qid, slug, list(dict.fromkeys(tags))


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    if not args.docs.is_dir():
        print(f"{PROG}: error: docs directory {args.docs} does not exist", file=sys.stderr)
        return 2
    cat = load(args.docs, "before scaffolding (fix this first)")
    try:
        section, qid, slug, tags = plan(args, cat)
    except Refusal as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2

    titles = {"ru": args.title_ru.strip(), "en": args.title_en.strip()}
    written = []
    for lang in catalog.LANGUAGES:
        path = args.docs / section.path / f"{slug}.{lang}.md"
        path.write_text(page_text(lang, qid, titles[lang], args.difficulty.strip().lower(), tags),
                        encoding="utf-8")
        written.append(path)

    try:
        after = catalog.load_catalog(args.docs)
    except catalog.CatalogError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        print(f"{PROG}: the new pages do not validate, nothing was kept: {exc}", file=sys.stderr)
        return 1
    question = after.questions[qid]

    print(f"Created question {qid} ({args.difficulty.strip().lower()}) in {section.path}:")
    for path in written:
        print(f"  {display(path)}")
    print("Preview (make serve):")
    for lang in catalog.LANGUAGES:
        print(f"  {PREVIEW}/{question.url(lang)}")
    print("Next: remove the <!-- --> lines around the answer skeleton in both files and write the answer.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
