#!/usr/bin/env python3
"""Scaffold a new question: one page per language with valid front matter.

Usage (from the repository root, or through ``make new ARGS="..."``)::

    python scripts/new_question.py --section classic-nlp/metrics --difficulty middle \\
        --title-ru "Чем BLEU отличается от ROUGE" --title-en "BLEU vs ROUGE" \\
        [--slug bleu-vs-rouge] [--tags metrics,bleu,rouge] [--id 105] [--docs DIR]

There is one ``--title-<language>`` option per language of mkdocs.yml.  The
script loads the catalog (``hooks/guide/catalog.py``) before and after
writing, so a scaffolded question passes exactly the validation the build
applies.  The answer block is written as an HTML comment: the page counts as
unanswered until an author removes the comment markers and fills it in.
Headings and hints come from each language's ``hooks/strings/<lang>.yml``;
a section's id series (``e1``, ``a1`` …) from ``series:`` in its front matter.

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

from guide import catalog, site  # noqa: E402  (needs the path above)

PROG = "new_question.py"
PREVIEW = "http://127.0.0.1:8000"
MAX_SLUG_WORDS = 6
ANCHORS = ("short", "explanation", "example", "pitfalls", "follow-up", "references")


class Refusal(Exception):
    """A reason not to write anything, shown as one line; exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:   # one line instead of usage + message
        print(f"{PROG}: error: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


def parse_args(argv: Optional[list[str]], langs: catalog.Languages) -> argparse.Namespace:
    p = _Parser(prog=PROG, description="Scaffold a new question page in every language of the site.")
    p.add_argument("--section", required=True, metavar="PART/SECTION",
                   help="where the question goes, e.g. classic-nlp/metrics")
    p.add_argument("--difficulty", required=True, metavar="LEVEL",
                   help="junior, middle or senior")
    for lang in langs.codes:
        p.add_argument(f"--title-{lang}", required=True, metavar="TITLE", help=f"the question in '{lang}'")
    p.add_argument("--slug", help="file name / URL slug (default: from the title with the most Latin letters)")
    p.add_argument("--tags", help="comma-separated tags, lowercase-hyphen English words (default: the section name)")
    p.add_argument("--id", dest="qid", metavar="ID",
                   help="question id (default: the next free id of the section's series)")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="docs directory (default: <repo>/docs)")
    p.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml",
                   help="mkdocs.yml whose i18n languages to use (default: <repo>/mkdocs.yml)")
    args = p.parse_args(argv)
    args.titles = {lang: getattr(args, f"title_{lang}") for lang in langs.codes}
    return args


def config_path(argv: Optional[list[str]]) -> Path:
    """--config, read before the full parser exists (its options depend on the languages)."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    return pre.parse_known_args(argv)[0].config


# --------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------


def slugify(text: str, max_words: int = MAX_SLUG_WORDS) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words])


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
    strings = site.strings(lang)
    lines = ["<!--", strings["skeleton_hint"], "", f"/// answer | {strings['answer_summary']}", ""]
    for anchor in ANCHORS:
        lines += [f"## {strings['headings'][anchor]} {{#{anchor}}}", "", "…", ""]
    lines += ["///", "-->"]
    return "\n".join(lines) + "\n"


def page_text(lang: str, qid: str, title: str, difficulty: str, tags: list[str]) -> str:
    return front_matter(qid, title, difficulty, tags) + "\n" + skeleton(lang)


def slug_source(titles: dict[str, str]) -> str:
    """The title to make a slug from: the one with the most ASCII letters."""
    return max(titles.values(), key=lambda t: sum(c.isascii() and c.isalpha() for c in t))


# --------------------------------------------------------------------------
# Checks against the catalog
# --------------------------------------------------------------------------


def load(docs: Path, langs: catalog.Languages, when: str) -> catalog.Catalog:
    try:
        return catalog.load_catalog(docs, langs)
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
    for lang, title in args.titles.items():
        if not title.strip():
            raise Refusal(f"--title-{lang} is empty: give the question in that language")

    if args.qid is not None:
        qid = args.qid.strip().lower()
        if not catalog.ID.match(qid):
            raise Refusal(f"bad id '{args.qid}': use a number (105) or a letter and a number (e26)")
    else:
        qid = next_id(list(cat.questions), section.series or "")
    if qid in cat.questions:
        taken = cat.questions[qid]
        raise Refusal(f"id {qid} is already taken by {taken.page(cat.languages.default).path}")

    slug = args.slug.strip() if args.slug else slugify(slug_source(args.titles))
    if not slug:
        raise Refusal("cannot derive a slug from the titles: pass --slug my-question")
    if not catalog.SLUG.match(slug):
        raise Refusal(f"bad slug '{slug}': use lowercase ASCII words joined by hyphens, e.g. bleu-vs-rouge")
    for lang in cat.languages.codes:
        existing = args.docs / section.path / f"{slug}.{lang}.md"
        if existing.exists():
            raise Refusal(f"{section.path}/{slug}.{lang}.md already exists: choose another --slug")

    raw_tags = args.tags if args.tags is not None else section.key
    tags = [t.strip().lower() for t in raw_tags.split(",") if t.strip()]
    if not tags:
        raise Refusal("--tags is empty: give at least one tag, e.g. --tags metrics,bleu")
    for tag in tags:
        if not catalog.SLUG.match(tag):
            raise Refusal(f"bad tag '{tag}': tags are lowercase English words joined by hyphens")
    return section, qid, slug, list(dict.fromkeys(tags))


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv: Optional[list[str]] = None) -> int:
    try:
        langs = site.languages(config_path(argv))
    except (OSError, site.StringsError) as exc:
        print(f"{PROG}: error: cannot read the languages: {exc}", file=sys.stderr)
        return 2
    args = parse_args(argv, langs)
    if not args.docs.is_dir():
        print(f"{PROG}: error: docs directory {args.docs} does not exist", file=sys.stderr)
        return 2
    cat = load(args.docs, langs, "before scaffolding (fix this first)")
    try:
        section, qid, slug, tags = plan(args, cat)
    except Refusal as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2

    titles = {lang: title.strip() for lang, title in args.titles.items()}
    written = []
    for lang in langs.codes:
        path = args.docs / section.path / f"{slug}.{lang}.md"
        path.write_text(page_text(lang, qid, titles[lang], args.difficulty.strip().lower(), tags),
                        encoding="utf-8")
        written.append(path)

    try:
        after = catalog.load_catalog(args.docs, langs)
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
    for lang in langs.codes:
        print(f"  {PREVIEW}/{question.url(lang)}")
    print("Next: remove the <!-- --> lines around the answer skeleton in each file and write the answer.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
