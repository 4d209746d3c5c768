"""The question catalog: Markdown + front matter in, one validated model out.

Everything the build shows about the *structure* of the guide (navigation
badges, section lists, ``questions.json``, the practice deck) is computed from
the object this module returns.  It has no MkDocs imports, so it is tested
without a build.

Layout of ``docs/``::

    index.<lang>.md                          home page
    <part>/index.<lang>.md                   part page     (title, order)
    <part>/<section>/index.<lang>.md         section page  (title, order)
    <part>/<section>/<slug>.<lang>.md        question page (id, title, ...)

The languages come from the i18n plugin's configuration (see
:mod:`guide.site`); nothing here names a language.

A question counts as *answered* in a language when its page in that language
exists and contains an answer block (``/// answer | …``) holding at least
``MIN_ANSWER_WORDS`` words.  A placeholder page (front matter only), a stub
answer and a missing translation do not count.

Every problem is a :class:`CatalogError` that names the file as
``docs/<path>`` and, where it can, the line: ``docs/a/b/q.en.md:12: …``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional, Sequence, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DIFFICULTIES = ("junior", "middle", "senior")
MIN_ANSWER_WORDS = 40
SKIP_DIRS = {"assets", "notebooks", "stylesheets", "javascripts"}

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml's safe loader when available: 5x faster
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
PAGE_NAME = re.compile(r"^(?P<stem>[^.]+)\.(?P<lang>[a-z]{2})\.md$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID = re.compile(r"^(?:[1-9][0-9]{0,3}|[a-z][1-9][0-9]{0,2})$")


class CatalogError(Exception):
    """A content problem, phrased as ``docs/<file>[:<line>]: <problem>``."""

    def __init__(self, path: str, problem: str, line: Optional[int] = None):
        self.path = path
        self.problem = problem
        self.line = line
        super().__init__(f"{path}{f':{line}' if line else ''}: {problem}")


@dataclass(frozen=True)
class Languages:
    """The site's languages, in build order, and the one served at the root."""

    codes: tuple[str, ...]
    default: str

    def __post_init__(self):
        if self.default not in self.codes:
            raise ValueError(f"default language {self.default!r} is not among {self.codes}")

    def prefix(self, lang: str) -> str:
        """URL prefix of a language: '' for the default one, 'en/' for the others."""
        return "" if lang == self.default else f"{lang}/"


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
    series: Optional[str] = Field(default=None, pattern=r"^[a-z]$")   # ids of its questions: e1, e2, …


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
        if not ID.match(value):
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
            if not SLUG.match(tag):
                raise ValueError(f"tag {tag!r} must be lowercase words joined by hyphens")
        return value


SHARED_KEYS = ("id", "difficulty", "tags", "notebook", "related")   # the same in every language


def _schema_problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "front matter"
    if err["type"] == "missing":
        return f"front matter: missing required key '{where}'"
    if err["type"] == "extra_forbidden":
        return f"front matter: unknown key '{where}'"
    if err["type"] == "literal_error" and where == "difficulty":
        return f"front matter: unknown difficulty {err.get('input')!r} (use one of: {', '.join(DIFFICULTIES)})"
    return f"front matter: '{where}' {err['msg'].removeprefix('Value error, ')}"


def _meta_line(text: str, key: str) -> Optional[int]:
    """Line of ``key:`` in the front matter, for error messages."""
    m = re.search(rf"^{re.escape(key)}\s*:", text.split("\n---", 1)[0], re.M)
    return text[: m.start()].count("\n") + 1 if m else None


# --------------------------------------------------------------------------
# Parsing helpers (pure)
# --------------------------------------------------------------------------


def split_front_matter(text: str, path: str = "<page>") -> tuple[dict, str]:
    """Return ``(meta, body)``; raise :class:`CatalogError` on broken YAML."""
    if not text.startswith("---"):
        return {}, text
    match = FRONT_MATTER.match(text)
    if not match:
        raise CatalogError(path, "front matter: opening '---' has no closing '---'", 1)
    try:
        meta = yaml.load(match.group(1) or "", Loader=YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CatalogError(path, f"front matter is not valid YAML: {problem}",
                           mark.line + 2 if mark is not None else None) from None
    if not isinstance(meta, dict):
        raise CatalogError(path, "front matter must be a mapping of keys to values", 2)
    return meta, text[match.end():]


def body_offset(text: str) -> int:
    """How many lines come before the body (the front matter block)."""
    match = FRONT_MATTER.match(text) if text.startswith("---") else None
    return text[: match.end()].count("\n") if match else 0


FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
BLOCK_OPEN = re.compile(r"^/{3,}\s*(?P<name>[\w-]+)\s*(?:\|\s*(?P<title>.*))?$")
BLOCK_CLOSE = re.compile(r"^/{3,}\s*$")


def _outside_code(lines: list[str]):
    """(index, line) of every line that is not inside fenced code."""
    fence: Optional[str] = None
    for i, line in enumerate(lines):
        if fence:
            if line.strip().startswith(fence):
                fence = None
            continue
        m = FENCE.match(line)
        if m:
            fence = m.group(1)
            continue
        yield i, line


def answer_text(body: str) -> Optional[str]:
    """Text inside the page's answer block (``/// answer | <summary>``), or ``None``.

    Nested blocks and fenced code are skipped over correctly, so a ``///``
    inside code does not end the answer early.
    """
    lines = re.sub(r"<!--.*?-->", "", body, flags=re.S).splitlines()
    for i, line in _outside_code(lines):
        opener = BLOCK_OPEN.match(line.strip())
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
        elif FENCE.match(line):
            fence = FENCE.match(line).group(1)
        elif BLOCK_CLOSE.match(stripped):
            depth -= 1
            if depth == 0:
                break
        elif BLOCK_OPEN.match(stripped):
            depth += 1
        out.append(line)
    return "\n".join(out)


def old_answer_syntax(body: str) -> Optional[int]:
    """Body line of a ``/// details`` block marked ``type: answer`` (the syntax before ``/// answer``)."""
    lines = body.splitlines()
    for i, line in _outside_code(lines):
        opener = BLOCK_OPEN.match(line.strip())
        if opener and opener.group("name") == "details":
            j = i + 1
            while j < len(lines) and lines[j].startswith("    ") and lines[j].strip():
                if lines[j].strip() == "type: answer":
                    return i + 1
                j += 1
    return None


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


def unsafe_html(body: str) -> Optional[tuple[str, int]]:
    """``(problem, body line)`` when the page's raw HTML could run script, else None.

    Code (fenced blocks and inline code) is exempt; the line is counted in the
    body as written, so callers add the front matter's lines.
    """
    def blank(m: re.Match) -> str:           # keep newlines so offsets stay lines
        return re.sub(r"[^\n]", " ", m.group(0))

    text = re.sub(r"^(`{3,}|~{3,}).*?^\1", blank, body, flags=re.S | re.M)
    text = re.sub(r"`[^`\n]+`", blank, text)
    for pattern, problem in _UNSAFE:
        m = pattern.search(text)
        if m:
            return problem, text[: m.start()].count("\n") + 1
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
    languages: Languages
    pages: dict[str, Localized] = field(default_factory=dict)

    def page(self, lang: str) -> Localized:
        """The page a reader of ``lang`` gets: their own, else the default language's, else any."""
        return self.pages.get(lang) or self.pages.get(self.languages.default) or next(iter(self.pages.values()))

    def title(self, lang: str) -> str:
        return self.page(lang).meta["title"]

    def answered(self, lang: str) -> bool:
        page = self.pages.get(lang)
        return bool(page and page.answered)

    @property
    def key(self) -> str:
        return f"{self.part}/{self.section}/{self.slug}"

    def url(self, lang: str) -> str:
        return f"{self.languages.prefix(lang)}{self.key}/"


@dataclass
class Group:
    """A part or a section."""

    key: str
    path: str                  # directory relative to docs/
    kind: str                  # "part" or "section"
    order: int
    titles: dict[str, str]
    descriptions: dict[str, Optional[str]]
    languages: Languages
    source: str                # one of its index pages, for error messages
    series: Optional[str] = None   # letter of its questions' ids (a section inherits its part's)
    children: list = field(default_factory=list)   # sections of a part / questions of a section

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get(self.languages.default) or next(iter(self.titles.values()))

    def url(self, lang: str) -> str:
        return f"{self.languages.prefix(lang)}{self.path}/"


@dataclass
class Catalog:
    languages: Languages
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

    def section_of(self, question: Question) -> Group:
        return next(s for s in self.sections if s.path == f"{question.part}/{question.section}")

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
        m = PAGE_NAME.match(Path(src_path).name)
        if not m:
            return None
        return self.by_path.get(f"{Path(src_path).parent.as_posix()}/{m.group('stem')}")

    def group_for_path(self, src_path: str) -> Optional[Group]:
        """The part or section whose index page this is."""
        name = Path(src_path).name
        if not PAGE_NAME.match(name) or not name.startswith("index."):
            return None
        parent = Path(src_path).parent.as_posix()
        return next((g for g in [*self.parts, *self.sections] if g.path == parent), None)

    def to_json(self, lang: str) -> dict:
        """The public contract: ``questions.json`` for one language (its parts, sections and questions)."""
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
        parts = [{"key": p.key, "title": p.title(lang), "url": p.url(lang),
                  "sections": [{"key": s.key, "title": s.title(lang), "url": s.url(lang)} for s in p.children]}
                 for p in self.parts]
        return {"language": lang, "parts": parts, "questions": items}


# --------------------------------------------------------------------------
# Loading, step by step
# --------------------------------------------------------------------------


class _Reader:
    """Reads pages of one docs folder, naming files as ``docs/<path>`` in errors."""

    def __init__(self, docs: Path):
        self.docs = docs
        self.label = docs.name

    def where(self, rel: str) -> str:
        return f"{self.label}/{rel}"

    def error(self, rel: str, problem: str, line: Optional[int] = None) -> CatalogError:
        return CatalogError(self.where(rel), problem, line)

    def read(self, rel: str) -> tuple[dict, str, str]:
        """``(meta, body, text)`` of a page, after the checks every page gets."""
        try:
            text = (self.docs / rel).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise self.error(rel, "file is not valid UTF-8") from None
        meta, body = split_front_matter(text, self.where(rel))
        offset = body_offset(text)
        unsafe = unsafe_html(body)
        if unsafe:
            raise self.error(rel, unsafe[0], offset + unsafe[1])
        old = old_answer_syntax(body)
        if old:
            raise self.error(rel, "the answer block is now written '/// answer | <summary>' "
                                  "(without 'type: answer'): see CONTRIBUTING.md", offset + old)
        return meta, body, text


def scan_pages(reader: _Reader, langs: Languages) -> dict[str, dict[str, str]]:
    """Step 1: ``{"dir/stem": {lang: docs-relative path}}`` for every Markdown page."""
    pages: dict[str, dict[str, str]] = {}
    for path in sorted(reader.docs.rglob("*.md")):
        rel = path.relative_to(reader.docs).as_posix()
        if rel.split("/")[0] in SKIP_DIRS:
            continue
        m = PAGE_NAME.match(path.name)
        if not m or m.group("lang") not in langs.codes:
            raise reader.error(rel, f"page names end in .<language>.md with a language in {list(langs.codes)}, "
                                    "e.g. my-question.en.md")
        parent = path.parent.relative_to(reader.docs).as_posix()
        key = m.group("stem") if parent == "." else f"{parent}/{m.group('stem')}"
        pages.setdefault(key, {})[m.group("lang")] = rel
    return pages


def _first(langs: Languages, by_lang: dict[str, str]) -> str:
    """The default language's page if there is one, else the first there is."""
    return by_lang.get(langs.default) or by_lang[sorted(by_lang)[0]]


def load_groups(reader: _Reader, pages: dict, langs: Languages) -> dict[str, Group]:
    """Step 2: parts and sections from their index pages, keyed by directory."""
    groups: dict[str, Group] = {}
    for key in sorted(pages):
        parts = key.split("/")
        if parts[-1] != "index" or len(parts) == 1:
            continue
        source = _first(langs, pages[key])
        if len(parts) > 3:
            raise reader.error(source, "index pages live at most two folders deep (part/section)")
        titles, descriptions, orders, series = {}, {}, set(), set()
        for lang, rel in sorted(pages[key].items()):
            meta, _, _ = reader.read(rel)
            try:
                gm = GroupMeta.model_validate(meta)
            except ValidationError as exc:
                raise reader.error(rel, _schema_problem(exc)) from None
            titles[lang], descriptions[lang] = gm.title, gm.description
            orders.add(gm.order)
            series.add(gm.series)
        for name, values in (("order", orders), ("series", series)):
            if len(values) > 1:
                raise reader.error(source, f"'{name}' differs between languages: {sorted(values, key=str)}")
        directory = "/".join(parts[:-1])
        kind = "section" if "/" in directory else "part"
        groups[directory] = Group(parts[-2], directory, kind, orders.pop(), titles, descriptions, langs, source,
                                  series.pop())
    return groups


def link_groups(reader: _Reader, groups: dict[str, Group]) -> list[Group]:
    """Step 3: sections under their parts, both in order; orders unique among siblings."""
    for directory, group in groups.items():
        if group.kind == "section":
            parent = directory.split("/")[0]
            if parent not in groups:
                raise reader.error(group.source, f"unknown part '{parent}': create {parent}/index.<language>.md first")
            groups[parent].children.append(group)
            group.series = group.series or groups[parent].series
    parts = sorted((g for g in groups.values() if g.kind == "part"), key=lambda g: (g.order, g.key))
    for siblings in [parts, *(p.children for p in parts)]:
        siblings.sort(key=lambda g: (g.order, g.key))
        seen: dict[int, str] = {}
        for g in siblings:
            if g.order in seen:
                raise reader.error(g.source, f"'order: {g.order}' is already used by '{seen[g.order]}'")
            seen[g.order] = g.key
    return parts


def _question_location(reader: _Reader, key: str, rel: str, groups: dict[str, Group]) -> tuple[str, str, str]:
    parts = key.split("/")
    if len(parts) != 3:
        raise reader.error(rel, f"question pages live exactly in <part>/<section>/, not in '{'/'.join(parts[:-1])}'")
    part, section, slug = parts
    if part not in groups:
        raise reader.error(rel, f"unknown part '{part}' (no {part}/index.<language>.md)")
    if f"{part}/{section}" not in groups:
        known = ", ".join(s.key for s in groups[part].children) or "none"
        raise reader.error(rel, f"unknown section '{section}' in part '{part}' (known: {known})")
    if not SLUG.match(slug):
        raise reader.error(rel, "file name must be lowercase words joined by hyphens, e.g. bleu-vs-rouge.en.md")
    return part, section, slug


def _question_meta(reader: _Reader, rel: str) -> tuple[QuestionMeta, Localized, str]:
    meta, body, text = reader.read(rel)
    if not meta:
        raise reader.error(rel, "front matter is missing: a question page starts with '---', "
                                "id, title, difficulty, tags, '---'", 1)
    try:
        qm = QuestionMeta.model_validate(meta)
    except ValidationError as exc:
        key = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else ""
        raise reader.error(rel, _schema_problem(exc), _meta_line(text, key) if key else None) from None
    return qm, Localized(rel, qm.model_dump(), is_answered(body)), text


def load_questions(reader: _Reader, pages: dict, groups: dict[str, Group], langs: Languages) -> dict[str, Question]:
    """Step 4: every question page, its languages agreeing on the shared keys; ids unique."""
    questions: dict[str, Question] = {}
    sources: dict[str, str] = {}
    for key, by_lang in sorted(pages.items()):
        parts = key.split("/")
        if parts[-1] == "index":
            continue
        first = _first(langs, by_lang)
        if len(parts) == 1:
            meta, _, _ = reader.read(first)
            if "id" in meta:
                raise reader.error(first, "a question page must live in <part>/<section>/, not at the top of docs/")
            continue           # a plain top-level page (home, about, ...)
        part, section, slug = _question_location(reader, key, first, groups)
        metas, localized, texts = {}, {}, {}
        for lang, rel in sorted(by_lang.items()):
            metas[lang], localized[lang], texts[lang] = _question_meta(reader, rel)
        ref = metas[langs.default] if langs.default in metas else metas[sorted(metas)[0]]
        for lang, qm in metas.items():
            for attr in SHARED_KEYS:
                if getattr(qm, attr) != getattr(ref, attr):
                    raise reader.error(by_lang[lang], f"'{attr}' is {getattr(qm, attr)!r} here but "
                                                      f"{getattr(ref, attr)!r} in {reader.where(first)}",
                                       _meta_line(texts[lang], attr))
        if ref.id in sources:
            raise reader.error(first, f"duplicate id {ref.id}: already used by {sources[ref.id]}")
        series = groups[f"{part}/{section}"].series
        if (ref.id[0] if not ref.id.isdigit() else None) != series:
            expected = f"'{series}' and a number, e.g. {series}1" if series else "a number"
            raise reader.error(first, f"id {ref.id} does not fit section '{part}/{section}': its ids are {expected}",
                               _meta_line(texts[langs.default] if langs.default in texts else texts[sorted(texts)[0]], "id"))
        sources[ref.id] = reader.where(first)
        question = Question(ref.id, part, section, slug, ref.difficulty, list(ref.tags), ref.notebook,
                            list(ref.related), langs, localized)
        questions[ref.id] = question
        groups[f"{part}/{section}"].children.append(question)
    return questions


def check_references(reader: _Reader, questions: dict[str, Question], notebooks: Optional[set[str]]) -> None:
    """Step 5: 'notebook' names an existing notebook, 'related' existing questions."""
    for q in questions.values():
        rel = q.page(q.languages.default).path
        if notebooks is not None and q.notebook and q.notebook not in notebooks:
            raise reader.error(rel, f"'notebook: {q.notebook}' names no notebook "
                                    f"(have: {', '.join(sorted(notebooks)) or 'none'})")
        for other in q.related:
            if other not in questions:
                raise reader.error(rel, f"'related' names unknown question id {other}")


def load_catalog(docs_dir: Union[str, Path], languages: Union[Languages, Sequence[str], None] = None,
                 notebooks: Optional[set[str]] = None) -> Catalog:
    """Read every page under ``docs_dir`` and return the validated catalog.

    ``languages``: a :class:`Languages`, a list of codes (the first is the
    default), or None for the project's mkdocs.yml next to ``docs_dir``
    (falling back to the repository's).  ``notebooks``: the names of the
    notebooks that exist; when given, a question's ``notebook`` must be one.

    Raises :class:`CatalogError` naming the first offending file.
    """
    reader = _Reader(Path(docs_dir))
    langs = as_languages(languages, reader.docs)
    pages = scan_pages(reader, langs)
    groups = load_groups(reader, pages, langs)
    parts = link_groups(reader, groups)
    questions = load_questions(reader, pages, groups, langs)
    check_references(reader, questions, notebooks)
    for section in (s for p in parts for s in p.children):
        section.children.sort(key=lambda q: id_sort_key(q.id))
    return Catalog(langs, parts, questions, {q.key: q for q in questions.values()})


def as_languages(languages: Union[Languages, Sequence[str], None], docs: Path) -> Languages:
    if isinstance(languages, Languages):
        return languages
    if languages:
        return Languages(tuple(languages), languages[0])
    from guide import site                     # reads mkdocs.yml; imported late to stay pure
    own = docs.parent / "mkdocs.yml"
    return site.languages(own if own.exists() else Path(__file__).resolve().parents[2] / "mkdocs.yml")


# --------------------------------------------------------------------------
# Cache shared by the hook modules (each MkDocs event runs once per language)
# --------------------------------------------------------------------------

_cache: dict[str, tuple[tuple, Catalog]] = {}


def _fingerprint(docs: Path) -> tuple:
    return tuple(sorted((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in docs.rglob("*.md")))


def cached_catalog(docs_dir: Union[str, Path], languages: Languages, notebooks: Optional[set[str]] = None) -> Catalog:
    docs = Path(docs_dir)
    fp = (_fingerprint(docs), languages, tuple(sorted(notebooks or ())))
    hit = _cache.get(str(docs))
    if hit and hit[0] == fp:
        return hit[1]
    catalog = load_catalog(docs, languages, notebooks)
    _cache[str(docs)] = (fp, catalog)
    return catalog
