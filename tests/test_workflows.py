"""GitHub configuration: workflows lint clean and are locked down; issue forms are well formed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml")) + sorted((GITHUB / "workflows").glob("*.yaml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")

_PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
_VERSION_COMMENT = re.compile(r"uses:\s*\S+@[0-9a-f]{40}\s+#\s*v\d+(?:\.\d+)*\s*$")
_FIELD_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def actionlint() -> Optional[str]:
    beside = Path(sys.executable).parent / "actionlint"
    if beside.is_file():
        return str(beside)
    return shutil.which("actionlint")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a YAML mapping"
    return data


def triggers(workflow: dict):
    # YAML 1.1 reads a bare `on:` key as the boolean True.
    return workflow.get("on", workflow.get(True))


def uses_of(workflow: dict) -> list[str]:
    out = []
    for job in workflow.get("jobs", {}).values():
        if "uses" in job:                      # reusable workflow call
            out.append(job["uses"])
        for step in job.get("steps", []) or []:
            if "uses" in step:
                out.append(step["uses"])
    return out


def structural_problems(path: Path) -> list[str]:
    wf = load(path)
    problems = []
    if not triggers(wf):
        problems.append("no 'on:' triggers")
    if "permissions" not in wf:
        problems.append("no top-level 'permissions'")
    jobs = wf.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return problems + ["no jobs"]
    for name, job in jobs.items():
        if "permissions" not in job:
            problems.append(f"job '{name}' has no 'permissions'")
        if "runs-on" not in job and "uses" not in job:
            problems.append(f"job '{name}' has no 'runs-on'")
    for ref in uses_of(wf):
        if ref.startswith("./") or ref.startswith("docker://"):
            continue
        if not _PINNED.match(ref):
            problems.append(f"'{ref}' is not pinned to a full 40-character commit SHA")
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.search(r"^\s*(?:-\s*)?uses:\s*[^.\s][^\s]*@[0-9a-f]{40}", line) and not _VERSION_COMMENT.search(line):
            problems.append(f"pinned action without a '# vX.Y.Z' comment: {line.strip()}")
    return problems


def test_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "deploy.yml"} <= names, names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_lints_clean(path: Path) -> None:
    binary = actionlint()
    if binary is None:
        # No linter here: at least the YAML must parse with the keys GitHub needs.
        wf = load(path)
        assert triggers(wf) and wf.get("jobs") and "permissions" in wf, f"{path.name}: missing on/jobs/permissions"
        for name, job in wf["jobs"].items():
            assert "permissions" in job, f"{path.name}: job '{name}' has no permissions"
        return
    result = subprocess.run([binary, "-no-color", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, f"actionlint {path.name}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_pinned_and_least_privilege(path: Path) -> None:
    problems = structural_problems(path)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_ci_workflow_shape() -> None:
    wf = load(GITHUB / "workflows" / "ci.yml")
    on = triggers(wf)
    assert "pull_request" in on and "main" in on["push"]["branches"]
    assert wf["permissions"] == {"contents": "read"}
    assert "cancel-in-progress" in wf["concurrency"]
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "make test" in runs and "make build" in runs
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0          # history for the outdated-translation check
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "site-preview"


def test_deploy_workflow_shape() -> None:
    wf = load(GITHUB / "workflows" / "deploy.yml")
    on = triggers(wf)
    assert "workflow_dispatch" in on and "main" in on["push"]["branches"]
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert "write" not in build["permissions"].values(), "the build job must not get write access"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in build["steps"])
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_issue_forms_exist() -> None:
    names = {p.name for p in ISSUE_FORMS}
    assert {"answer-is-wrong.yml", "new-question.yml", "translation.yml"} <= names, names
    config = load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config["blank_issues_enabled"] is False


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_form_is_well_formed(path: Path) -> None:
    form = load(path)
    for key in ("name", "description", "body"):
        assert form.get(key), f"{path.name}: missing '{key}'"
    assert isinstance(form["body"], list)
    ids = []
    for i, field in enumerate(form["body"]):
        kind = field.get("type")
        assert kind in _FIELD_TYPES, f"{path.name}: body[{i}] has unknown type {kind!r}"
        attrs = field.get("attributes") or {}
        if kind == "markdown":
            assert attrs.get("value"), f"{path.name}: body[{i}] markdown without value"
            continue
        assert attrs.get("label"), f"{path.name}: body[{i}] has no label"
        assert re.fullmatch(r"[A-Za-z0-9_-]+", field.get("id", "")), f"{path.name}: body[{i}] needs an id"
        ids.append(field["id"])
        if kind in ("dropdown", "checkboxes"):
            options = attrs.get("options") or []
            assert options, f"{path.name}: body[{i}] has no options"
            labels = [o["label"] if isinstance(o, dict) else o for o in options]
            assert len(labels) == len(set(labels)), f"{path.name}: body[{i}] repeats an option"
    assert len(ids) == len(set(ids)), f"{path.name}: field ids repeat"
    assert any(t in ("input", "textarea", "dropdown") for t in (f.get("type") for f in form["body"]))
    text = path.read_text(encoding="utf-8").lower()
    assert "language" in text, f"{path.name}: should ask which language"
    assert "question id" in text or "section" in text, f"{path.name}: should ask for the question or section"


def test_pull_request_template_has_checklist() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 6
    for needle in ("originality.py", "make test", "tests/content/", "KaTeX", "make notebooks"):
        assert needle in text, needle
