"""The question catalog: Markdown + front matter in, one validated model out.

Everything the build shows about the *structure* of the guide (navigation
badges, section lists, ``questions.json``) is computed from the object this
module returns.  It has no MkDocs imports, so it is tested without a build.

Layout of ``docs/``::

    index.<lang>.md                          home page
    <part>/index.<lang>.md                   part page     (title, order)
    <part>/<section>/index.<lang>.md         section page  (title, order)
    <part>/<section>/<slug>.<lang>.md        question page (id, title, ...)

A question counts as *answered* in a language when its page in that language
exists and contains an answer block (``/// answer | …``) holding at least ``MIN_ANSWER_WORDS`` words.  A placeholder page (front matter
only), a stub answer and a missing translation do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
DIFFICULTIES = ("junior", "middle", "senior")
MIN_ANSWER_WORDS = 40

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
_PAGE_NAME = re.compile(r"^(?P<stem>[^.]+)\.(?P<lang>[a-z]{2})\.md$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ID = re.compile(r"^(?:[1-9][0-9]{0,3}|[a-z][1-9][0-9]{0,2})$")


class CatalogError(Exception):
    """A content problem, always phrased as ``<file>: <problem>``."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


# --------------------------------------------------------------------------
# Front matter schemas
# --------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class GroupMeta(_Strict):
    """Front matter of a part or section page."""

    title: str = Field(min_length=1)
    order: int = Field(ge=1)
    description: Optional[str] = None


class HomeMeta(_Strict):
    title: Optional[str] = None
    description: Optional[str] = None
    hide: Optional[list[str]] = None


class QuestionMeta(_Strict):
    """Front matter of a question page."""

    id: str
    title: str = Field(min_length=1)
    difficulty: Literal["junior", "middle", "senior"]
    tags: list[str] = Field(min_length=1)
    notebook: Optional[str] = None
    related: list[str] = Field(default_factory=list)
    description: Optional[str] = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be a question number (1, 2, …) or a letter and a number (a1, e12)")
        return value

    @field_validator("related", mode="before")
    @classmethod
    def _related_text(cls, value: object) -> object:
        if isinstance(value, list):
            return [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value]
        return value

    @field_validator("tags")
    @classmethod
    def _tag_shape(cls, value: list[str]) -> list[str]:
        for tag in value:
            if not _SLUG.match(tag):
                raise ValueError(f"tag {tag!r} must be lowercase words joined by hyphens")
        return value


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "front matter"
    if err["type"] == "missing":
        return f"front matter: missing required key '{where}'"
    if err["type"] == "extra_forbidden":
        return f"front matter: unknown key '{where}'"
    if err["type"] == "literal_error" and where == "difficulty":
        return f"front matter: unknown difficulty {err.get('input')!r} (use one of: {', '.join(DIFFICULTIES)})"
    message = err["msg"].removeprefix("Value error, ")
    return f"front matter: '{where}' {message}"


# --------------------------------------------------------------------------
# Parsing helpers (pure)
# --------------------------------------------------------------------------


def split_front_matter(text: str, path: str = "<page>") -> tuple[dict, str]:
    """Return ``(meta, body)``; raise :class:`CatalogError` on broken YAML."""
    if not text.startswith("---"):
        return {}, text
    match = _FRONT_MATTER.match(text)
    if not match:
        raise CatalogError(path, "front matter: opening '---' has no closing '---'")
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CatalogError(path, f"front matter is not valid YAML{line}: {problem}") from None
    if not isinstance(meta, dict):
        raise CatalogError(path, "front matter must be a mapping of keys to values")
    return meta, text[match.end():]


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_BLOCK_OPEN = re.compile(r"^/{3,}\s*(?P<name>[\w-]+)\s*(?:\|\s*(?P<title>.*))?$")
_BLOCK_CLOSE = re.compile(r"^/{3,}\s*$")


def answer_text(body: str) -> Optional[str]:
    """Text inside the page's answer block (``/// answer | <summary>``), or ``None``.

    Nested blocks and fenced code are skipped over correctly, so a ``///``
    inside code does not end the answer early.
    """
    lines = re.sub(r"<!--.*?-->", "", body, flags=re.S).splitlines()
    fence: Optional[str] = None
    for i, line in enumerate(lines):
        if fence:
            if line.strip().startswith(fence):
                fence = None
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)
            continue
        opener = _BLOCK_OPEN.match(line.strip())
        if opener and opener.group("name") == "answer":
            return _block_content(lines, i + 1)
    return None


def _block_content(lines: list[str], start: int) -> str:
    depth, fence = 1, None
    out = []
    for line in lines[start:]:
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = None
        elif _FENCE.match(line):
            fence = _FENCE.match(line).group(1)
        elif _BLOCK_CLOSE.match(stripped):
            depth -= 1
            if depth == 0:
                break
        elif _BLOCK_OPEN.match(stripped):
            depth += 1
        out.append(line)
    return "\n".join(out)


_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)


def count_words(markdown: str) -> int:
    """Words of prose: letters-first tokens outside code, math and link targets."""
    text = re.sub(r"```.*?```|~~~.*?~~~", " ", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\{#[^}]*\}", " ", text)
    return len(_WORD.findall(text))


_UNSAFE = [
    (re.compile(r"<\s*script\b", re.I), "raw <script> tags are not allowed"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "HTML event-handler attributes (on…=) are not allowed"),
    (re.compile(r"javascript\s*:", re.I), "javascript: links are not allowed"),
    (re.compile(r"<\s*(?:iframe|object|embed)\b", re.I), "embedded <iframe>/<object>/<embed> are not allowed"),
]


def unsafe_html(body: str) -> Optional[str]:
    """Why the page's raw HTML could run script, or None. Code blocks are exempt."""
    text = re.sub(r"^(`{3,}|~{3,}).*?^\1", " ", body, flags=re.S | re.M)
    text = re.sub(r"`[^`\n]+`", " ", text)
    for pattern, problem in _UNSAFE:
        m = pattern.search(text)
        if m:
            line = body[: body.find(m.group(0))].count("\n") + 1 if m.group(0) in body else None
            return problem + (f" (near line {line} of the body)" if line else "")
    return None


def is_answered(body: str) -> bool:
    text = answer_text(body)
    return text is not None and count_words(text) >= MIN_ANSWER_WORDS


def id_sort_key(qid: str) -> tuple[int, int]:
    """Numbers first (1…104), then lettered series (a1…, e1…) in order."""
    if qid.isdigit():
        return (0, int(qid))
    return (ord(qid[0]) - ord("a") + 1, int(qid[1:]))


# --------------------------------------------------------------------------
# Catalog model
# --------------------------------------------------------------------------


@dataclass
class Localized:
    """One language version of a page."""

    path: str                  # relative to docs/, e.g. classic-nlp/metrics/rouge.en.md
    meta: dict
    answered: bool = False


@dataclass
class Question:
    id: str
    part: str
    section: str
    slug: str
    difficulty: str
    tags: list[str]
    notebook: Optional[str]
    related: list[str]
    pages: dict[str, Localized] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        page = self.pages.get(lang) or self.pages[DEFAULT_LANGUAGE]
        return page.meta["title"]

    def answered(self, lang: str) -> bool:
        page = self.pages.get(lang)
        return bool(page and page.answered)

    def url(self, lang: str) -> str:
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        return f"{prefix}{self.part}/{self.section}/{self.slug}/"


@dataclass
class Group:
    """A part or a section."""

    key: str
    path: str                  # directory relative to docs/
    kind: str                  # "part" or "section"
    order: int
    titles: dict[str, str]
    descriptions: dict[str, Optional[str]]
    children: list = field(default_factory=list)   # sections of a part / questions of a section

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles[DEFAULT_LANGUAGE]

    def url(self, lang: str) -> str:
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        return f"{prefix}{self.path}/"


@dataclass
class Catalog:
    parts: list[Group]
    questions: dict[str, Question]
    by_path: dict[str, Question]    # "part/section/slug" -> question

    @property
    def sections(self) -> list[Group]:
        return [s for p in self.parts for s in p.children]

    def questions_in(self, group: Optional[Group] = None) -> list[Question]:
        """Questions of a section, of a part, or (no group) of the whole guide."""
        if group is None:
            return [q for p in self.parts for q in self.questions_in(p)]
        if group.kind == "section":
            return list(group.children)
        return [q for s in group.children for q in s.children]

    def related(self, question: Question) -> list[Question]:
        """Questions this one names in 'related', plus those naming it."""
        ids = list(question.related)
        ids += [q.id for q in self.questions.values() if question.id in q.related and q.id not in ids]
        return [self.questions[i] for i in ids if i != question.id]

    @staticmethod
    def progress(questions: list[Question], lang: str) -> tuple[int, int]:
        return sum(q.answered(lang) for q in questions), len(questions)

    def question_for_path(self, src_path: str) -> Optional[Question]:
        """The question a docs-relative page path belongs to (any language)."""
        m = _PAGE_NAME.match(Path(src_path).name)
        if not m:
            return None
        key = str(Path(src_path).parent / m.group("stem")).replace("\\", "/")
        return self.by_path.get(key)

    def group_for_path(self, src_path: str) -> Optional[Group]:
        """The part or section whose index page this is."""
        parent = str(Path(src_path).parent).replace("\\", "/")
        if not _PAGE_NAME.match(Path(src_path).name) or not Path(src_path).name.startswith("index."):
            return None
        for part in self.parts:
            if part.path == parent:
                return part
            for section in part.children:
                if section.path == parent:
                    return section
        return None

    def to_json(self, lang: str) -> dict:
        """The public contract: ``questions.json`` for one language."""
        items = []
        for part in self.parts:
            for section in part.children:
                for q in section.children:
                    items.append({
                        "id": q.id,
                        "part": part.key,
                        "section": section.key,
                        "title": q.title(lang),
                        "url": q.url(lang),
                        "answered": q.answered(lang),
                        "difficulty": q.difficulty,
                        "tags": q.tags,
                        "notebook": q.notebook,
                    })
        return {"language": lang, "questions": items}


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------

SKIP_DIRS = {"assets", "notebooks", "stylesheets", "javascripts"}


def _read(docs: Path, rel: str) -> tuple[dict, str]:
    try:
        text = (docs / rel).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CatalogError(rel, "file is not valid UTF-8") from None
    meta, body = split_front_matter(text, rel)
    problem = unsafe_html(body)
    if problem:
        raise CatalogError(rel, problem)
    return meta, body


def load_catalog(docs_dir: Union[str, Path], notebooks: Optional[set[str]] = None) -> Catalog:
    """Read every page under ``docs_dir`` and return the validated catalog.

    ``notebooks`` is the set of notebook names that exist; when given, a
    question's ``notebook`` key must name one of them.

    Raises :class:`CatalogError` naming the first offending file.
    """
    docs = Path(docs_dir)
    pages: dict[str, dict[str, str]] = {}      # "dir/stem" -> {lang: rel path}
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        if rel.split("/")[0] in SKIP_DIRS:
            continue
        m = _PAGE_NAME.match(path.name)
        if not m or m.group("lang") not in LANGUAGES:
            raise CatalogError(rel, f"page names end in .<language>.md with a language in {LANGUAGES}, e.g. my-question.en.md")
        parent = path.parent.relative_to(docs).as_posix()
        key = m.group("stem") if parent == "." else f"{parent}/{m.group('stem')}"
        pages.setdefault(key, {})[m.group("lang")] = rel

    groups: dict[str, Group] = {}
    for key in sorted(pages):
        parts = key.split("/")
        if parts[-1] != "index" or len(parts) == 1:
            continue
        if len(parts) > 3:
            raise CatalogError(pages[key][min(pages[key])], "index pages live at most two folders deep (part/section)")
        directory = "/".join(parts[:-1])
        titles, descriptions, orders = {}, {}, set()
        for lang, rel in sorted(pages[key].items()):
            meta, _ = _read(docs, rel)
            try:
                gm = GroupMeta.model_validate(meta)
            except ValidationError as exc:
                raise CatalogError(rel, _first_error(exc)) from None
            titles[lang], descriptions[lang] = gm.title, gm.description
            orders.add(gm.order)
        if len(orders) > 1:
            raise CatalogError(pages[key][DEFAULT_LANGUAGE] if DEFAULT_LANGUAGE in pages[key] else next(iter(pages[key].values())),
                               f"'order' differs between languages: {sorted(orders)}")
        kind = "section" if "/" in directory else "part"
        groups[directory] = Group(parts[-2], directory, kind, orders.pop(), titles, descriptions)

    part_list = sorted((g for d, g in groups.items() if "/" not in d), key=lambda g: (g.order, g.key))
    for directory, group in groups.items():
        if "/" in directory:
            parent = directory.split("/")[0]
            if parent not in groups:
                rel = next(iter(pages[f"{directory}/index"].values()))
                raise CatalogError(rel, f"unknown part '{parent}': create {parent}/index.{DEFAULT_LANGUAGE}.md first")
            groups[parent].children.append(group)
    _check_unique_orders(part_list, pages)
    for part in part_list:
        part.children.sort(key=lambda g: (g.order, g.key))
        _check_unique_orders(part.children, pages)

    questions: dict[str, Question] = {}
    by_path: dict[str, Question] = {}
    seen_ids: dict[str, str] = {}
    for key, langs in sorted(pages.items()):
        parts = key.split("/")
        if parts[-1] == "index":
            continue
        first_rel = langs.get(DEFAULT_LANGUAGE) or next(iter(langs.values()))
        if len(parts) == 1:
            meta, _ = _read(docs, first_rel)
            if "id" in meta:
                raise CatalogError(first_rel, "a question page must live in <part>/<section>/, not at the top of docs/")
            continue           # a plain top-level page (home, about, ...)
        if len(parts) != 3:
            raise CatalogError(first_rel, f"question pages live exactly in <part>/<section>/, not in '{'/'.join(parts[:-1])}'")
        part_key, section_key, slug = parts
        if part_key not in groups:
            raise CatalogError(first_rel, f"unknown part '{part_key}' (no {part_key}/index.{DEFAULT_LANGUAGE}.md)")
        if f"{part_key}/{section_key}" not in groups:
            known = ", ".join(s.key for s in groups[part_key].children) or "none"
            raise CatalogError(first_rel, f"unknown section '{section_key}' in part '{part_key}' (known: {known})")
        if not _SLUG.match(slug):
            raise CatalogError(first_rel, "file name must be lowercase words joined by hyphens, e.g. bleu-vs-rouge.en.md")

        metas: dict[str, QuestionMeta] = {}
        localized: dict[str, Localized] = {}
        for lang, rel in sorted(langs.items()):
            meta, body = _read(docs, rel)
            if not meta:
                raise CatalogError(rel, "front matter is missing: a question page starts with '---', id, title, difficulty, tags, '---'")
            try:
                qm = QuestionMeta.model_validate(meta)
            except ValidationError as exc:
                raise CatalogError(rel, _first_error(exc)) from None
            metas[lang] = qm
            localized[lang] = Localized(rel, qm.model_dump(), is_answered(body))

        reference_lang = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in metas else next(iter(metas))
        ref = metas[reference_lang]
        for lang, qm in metas.items():
            for attr in ("id", "difficulty", "tags", "notebook", "related"):
                if getattr(qm, attr) != getattr(ref, attr):
                    raise CatalogError(langs[lang], f"'{attr}' is {getattr(qm, attr)!r} here but {getattr(ref, attr)!r} in {langs[reference_lang]}")
        if ref.id in seen_ids:
            raise CatalogError(langs[reference_lang], f"duplicate id {ref.id}: already used by {seen_ids[ref.id]}")
        seen_ids[ref.id] = langs[reference_lang]

        question = Question(ref.id, part_key, section_key, slug, ref.difficulty, list(ref.tags),
                            ref.notebook, list(ref.related), localized)
        questions[ref.id] = question
        by_path[key] = question
        groups[f"{part_key}/{section_key}"].children.append(question)

    for q in questions.values():
        if notebooks is not None and q.notebook and q.notebook not in notebooks:
            raise CatalogError(next(iter(q.pages.values())).path,
                               f"'notebook: {q.notebook}' names no notebook (have: {', '.join(sorted(notebooks)) or 'none'})")
        for other in q.related:
            if other not in questions:
                raise CatalogError(next(iter(q.pages.values())).path, f"'related' names unknown question id {other}")

    for part in part_list:
        for section in part.children:
            section.children.sort(key=lambda q: id_sort_key(q.id))
    return Catalog(part_list, questions, by_path)


def _check_unique_orders(sections: list[Group], pages: dict) -> None:
    seen: dict[int, str] = {}
    for s in sections:
        if s.order in seen:
            rel = next(iter(pages[f"{s.path}/index"].values()))
            raise CatalogError(rel, f"'order: {s.order}' is already used by '{seen[s.order]}'")
        seen[s.order] = s.key


# --------------------------------------------------------------------------
# Cache shared by the hook modules (each MkDocs event runs once per language)
# --------------------------------------------------------------------------

_cache: dict[str, tuple[tuple, Catalog]] = {}


def _fingerprint(docs: Path) -> tuple:
    return tuple(sorted((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in docs.rglob("*.md")))


def cached_catalog(docs_dir: Union[str, Path], notebooks: Optional[set[str]] = None) -> Catalog:
    docs = Path(docs_dir)
    fp = (_fingerprint(docs), tuple(sorted(notebooks or ())))
    hit = _cache.get(str(docs))
    if hit and hit[0] == fp:
        return hit[1]
    catalog = load_catalog(docs, notebooks)
    _cache[str(docs)] = (fp, catalog)
    return catalog
