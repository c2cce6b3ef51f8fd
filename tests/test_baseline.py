"""Reading a plan as it was: from a file or a git revision, within the size limit, and every refusal
word for word (SPEC §10, §17). The git repositories are built here, one commit each."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from cio_kit.analysis.baseline import (
    BaselineError,
    checked_ref,
    git_blobs,
    git_files,
    git_show,
    read_baseline,
)
from cio_kit.analysis.schedule import Schedule
from cio_kit.plan.loader import FileLimits

from .conftest import MINIMAL, git_in

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MIB = 1024 * 1024


def _refused(read: Callable[[], object]) -> str:
    """What BaselineError says when ``read`` is refused."""
    with pytest.raises(BaselineError) as refused:
        read()
    return str(refused.value)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """plans/ with a plan, a .yml, a file that is not YAML, a hidden folder and a Chinese name, committed
    as v1; the plan is then changed in the working tree."""
    monkeypatch.chdir(tmp_path)
    git_in(tmp_path, "init", "-q")
    plans = tmp_path / "plans"
    (plans / ".drafts").mkdir(parents=True)
    (plans / "group.yaml").write_text(MINIMAL, encoding="utf-8")
    (plans / "plant.yml").write_text(MINIMAL.replace("Example Co", "Example Plant Co"), encoding="utf-8")
    (plans / "notes.txt").write_text("not a plan\n", encoding="utf-8")
    (plans / ".drafts" / "draft.yaml").write_text(MINIMAL, encoding="utf-8")
    (plans / "财务.yaml").write_text(MINIMAL.replace("Example Co", "财务共享中心"), encoding="utf-8")
    git_in(tmp_path, "add", ".")
    git_in(tmp_path, "commit", "-qm", "v1")
    git_in(tmp_path, "tag", "v1")
    (plans / "group.yaml").write_text(MINIMAL.replace("Example Co", "Changed Co"), encoding="utf-8")
    return tmp_path


def test_a_revision_gives_the_file_as_committed(repo: Path) -> None:
    assert git_show("v1", Path("plans/group.yaml")) == MINIMAL.encode()
    assert git_show("HEAD", repo / "plans" / "group.yaml", limit=len(MINIMAL)) == MINIMAL.encode()


def test_a_blob_over_the_limit_is_refused_unread(repo: Path) -> None:
    assert len(MINIMAL) - 1 == 228  # 0.00021744 MiB: the fewest decimals that are 228 bytes again
    assert _refused(lambda: git_show("v1", Path("plans/group.yaml"), limit=len(MINIMAL) - 1)) == (
        "plans/group.yaml at v1 is larger than 0.00021744 MiB; it is not a plan cio-kit reads"
    )


def test_without_a_limit_the_default_ten_mib_holds(repo: Path) -> None:
    """Ten MiB is 10,485,760 bytes: a blob of exactly that is read, one byte more is refused."""
    big = repo / "plans" / "big.yaml"
    big.write_bytes(b"#" * (10 * MIB - 1) + b"\n")
    git_in(repo, "add", ".")
    git_in(repo, "commit", "-qm", "big")
    assert len(git_show("HEAD", big)) == 10 * MIB
    big.write_bytes(b"#" * (10 * MIB) + b"\n")
    git_in(repo, "commit", "-qam", "bigger")
    assert (
        _refused(lambda: git_show("HEAD", big))
        == f"{big} at HEAD is larger than 10 MiB; it is not a plan cio-kit reads"
    )


@pytest.mark.parametrize(
    ("ref", "said"),
    [
        ("v9", "fatal: invalid object name 'v9'."),
        ("v1~5", "fatal: invalid object name 'v1~5'."),
    ],
)
def test_a_revision_git_cannot_show_gives_gits_last_line(repo: Path, ref: str, said: str) -> None:
    assert (
        _refused(lambda: git_show(ref, Path("plans/group.yaml")))
        == f"git cannot show plans/group.yaml at {ref}: {said}"
    )


def test_a_revision_not_in_utf_8_is_named_with_a_replacement_character(repo: Path) -> None:
    """A ref of raw bytes (from a file name's surrogate escapes) reaches git as it is; its complaint
    is shown, the byte replaced."""
    assert _refused(lambda: git_show("v\udcff", Path("plans/group.yaml"))) == (
        "git cannot show plans/group.yaml at v\udcff: fatal: invalid object name 'v\ufffd'."
    )


def test_git_runs_in_the_plans_repository_whatever_the_current_folder(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    assert git_show("v1", repo / "plans" / "group.yaml") == MINIMAL.encode()


def test_a_file_not_at_the_revision_is_refused(repo: Path) -> None:
    (repo / "plans" / "new.yaml").write_text(MINIMAL, encoding="utf-8")
    said = _refused(lambda: git_show("v1", Path("plans/new.yaml")))
    assert said.startswith("git cannot show plans/new.yaml at v1: fatal: ")
    assert "plans/new.yaml" in said.split(": fatal: ")[1]


def test_outside_a_repository_nothing_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "plan.yaml").write_text(MINIMAL, encoding="utf-8")
    assert _refused(lambda: git_show("HEAD", Path("plan.yaml"))).startswith(
        "git cannot show plan.yaml at HEAD: fatal: not a git repository"
    )
    assert _refused(lambda: git_files("HEAD", Path("."))).startswith(
        "git cannot list . at HEAD: fatal: not a git repository"
    )
    assert _refused(lambda: git_blobs("HEAD", [Path("plan.yaml")], 1000)).startswith(
        "git cannot read the files at HEAD: fatal: not a git repository"
    )


def test_a_path_outside_the_work_tree_git_is_pointed_at_is_not_in_the_repository(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With GIT_DIR and GIT_WORK_TREE set (as some CI runners do), git answers for that work tree
    wherever the plan is."""
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "plan.yaml"
    elsewhere.write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(repo))
    assert _refused(lambda: git_show("v1", elsewhere)) == f"{elsewhere} is not inside a git repository"
    assert (
        _refused(lambda: git_files("v1", elsewhere.parent))
        == f"{elsewhere.parent} is not inside a git repository"
    )
    assert (
        _refused(lambda: git_blobs("v1", [elsewhere], 1000))
        == f"{elsewhere.parent} is not inside a git repository"
    )


def test_without_git_every_reader_says_so(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-such-folder"))
    for read in (
        lambda: git_show("v1", Path("plans/group.yaml")),
        lambda: git_files("v1", Path("plans")),
        lambda: git_blobs("v1", [Path("plans/group.yaml")], 1000),
    ):
        assert _refused(read) == "git is not installed"


@pytest.mark.parametrize("ref", ["", "--output=x", "-p", "v1\nHEAD", "v1\x1b"])
def test_a_ref_git_could_read_as_an_option_or_two_lines_is_refused(ref: str) -> None:
    assert _refused(lambda: checked_ref(ref)) == f"{ref!r} is not a git revision"
    assert checked_ref("v1~2") == "v1~2"


def test_the_yaml_files_of_a_folder_at_a_revision(repo: Path) -> None:
    """YAML only, none in hidden folders, names as written (not git's quoted octal), relative to the
    current folder as the working tree's paths are."""
    (repo / "plans" / "later.yaml").write_text(MINIMAL, encoding="utf-8")  # not at v1
    assert sorted(git_files("v1", Path("plans"))) == [
        Path("plans/group.yaml"),
        Path("plans/plant.yml"),
        Path("plans/财务.yaml"),
    ]
    assert sorted(git_files("v1", repo)) == sorted(git_files("v1", Path("plans")))
    assert git_files("v1", Path("plans/gone")) == []  # a folder that did not exist then
    assert git_files("v1", Path("gone/deeper/still")) == []  # nor does it now
    assert git_files("v1", Path("plans/group.yaml")) == [Path("plans/group.yaml")]
    assert (
        _refused(lambda: git_files("v9", Path("plans")))
        == "git cannot list plans at v9: fatal: Not a valid object name v9"
    )


def test_many_blobs_are_read_with_the_missing_and_the_oversized_as_none(repo: Path) -> None:
    group, plant, missing = Path("plans/group.yaml"), Path("plans/plant.yml"), Path("plans/none.yaml")
    plant_text = MINIMAL.replace("Example Co", "Example Plant Co").encode()
    assert git_blobs("v1", [group, plant, missing], len(MINIMAL)) == {
        group: MINIMAL.encode(),
        plant: None,  # one byte longer than the limit
        missing: None,
    }
    assert git_blobs("v1", [plant], len(plant_text))[plant] == plant_text
    assert git_blobs("v1", [], 10) == {}
    assert git_blobs("v9", [group], 1000) == {group: None}  # git answers "missing" for a bad ref too


def test_a_baseline_is_a_file_when_there_is_one_else_a_revision(repo: Path) -> None:
    plan = Path("plans/group.yaml")
    from_git = read_baseline("v1", plan)
    assert (from_git.plan.enterprise.name, from_git.label) == ("Example Co", "v1")
    (repo / "base.yaml").write_text(MINIMAL.replace("Example Co", "Filed Co"), encoding="utf-8")
    from_file = read_baseline("base.yaml", plan)
    assert (from_file.plan.enterprise.name, from_file.label) == ("Filed Co", "base.yaml")


def test_a_baseline_over_the_configured_limit_is_refused_from_a_file_or_a_revision(repo: Path) -> None:
    (repo / "base.yaml").write_text(MINIMAL, encoding="utf-8")
    tight = FileLimits(max_file_mib=(len(MINIMAL) - 1) / MIB)
    assert _refused(lambda: read_baseline("base.yaml", Path("plans/group.yaml"), tight)).startswith(
        "the baseline file base.yaml: larger than "
    )
    assert _refused(lambda: read_baseline("v1", Path("plans/group.yaml"), tight)).startswith(
        "plans/group.yaml at v1 is larger than "
    )
    exact = FileLimits(max_file_mib=len(MINIMAL) / MIB)
    assert read_baseline("base.yaml", Path("plans/group.yaml"), exact).plan.enterprise.name == "Example Co"
    assert read_baseline("v1", Path("plans/group.yaml"), exact).plan.enterprise.name == "Example Co"


def test_a_baseline_that_is_not_a_plan_names_its_first_blocking_finding(repo: Path) -> None:
    (repo / "base.yaml").write_text("cio_kit: 1\nstages: [\n", encoding="utf-8")
    assert _refused(lambda: read_baseline("base.yaml", Path("plans/group.yaml"))).startswith(
        "the baseline base.yaml cannot be used: PLAN001 "
    )
    assert _refused(lambda: read_baseline("v1", Path("plans/notes.txt"))).startswith(
        "the baseline v1:plans/notes.txt cannot be used: PLAN"
    )


def _schedule(text: str) -> Schedule:
    from cio_kit.analysis.schedule import compute
    from cio_kit.plan.loader import load_bytes

    loaded = load_bytes(text.encode(), "plan.yaml", explicit=True)
    assert loaded.plan is not None
    return compute(loaded.plan)


STAGES = """\
cio_kit: 1
enterprise: {name: E%s}
stages:
  - {id: S-NEW, title: N, kind: training, duration_weeks: 1}
  - {id: S-A, title: A, kind: training, duration_weeks: %d}
  - {id: S-B, title: B, kind: training, duration_weeks: 1, depends_on: [S-A]%s}
"""


def test_variances_are_days_moved_for_the_stages_both_hold_the_baselines_cancelled_left_out() -> None:
    """Baseline (dated from Monday 2027-01-04, no calendar, so a week is seven days): S-A two
    weeks, its last day Sunday 01-17; S-B one week after it, 01-18 to 01-24, cancelled in a second
    baseline. Now S-A takes three weeks: S-A starts as before and ends 7 days later; S-B starts and
    ends 7 days later. S-NEW is not in the baseline (written first here, so the stages after it are
    still compared)."""
    from cio_kit.analysis.baseline import Variance, variances

    dated = ", plan_start: 2027-01-04"
    base = "".join(line for line in STAGES.splitlines(keepends=True) if "S-NEW" not in line)
    now = _schedule(STAGES % (dated, 3, ""))
    found = variances(now, _schedule(base % (dated, 2, "")))
    assert found == {
        "S-A": Variance(dt.date(2027, 1, 4), dt.date(2027, 1, 17), 0, 7),
        "S-B": Variance(dt.date(2027, 1, 18), dt.date(2027, 1, 24), 7, 7),
    }
    cancelled = variances(now, _schedule(base % (dated, 2, ", status: cancelled")))
    assert list(cancelled) == ["S-A"]
    # Without plan_start on either side there are no dates to compare, only the stages.
    undated = variances(_schedule(STAGES % ("", 3, "")), _schedule(base % (dated, 2, "")))
    assert undated["S-B"] == Variance(dt.date(2027, 1, 18), dt.date(2027, 1, 24), None, None)
    backwards = variances(now, _schedule(base % ("", 2, "")))
    assert backwards["S-A"] == Variance(None, None, None, None)


def test_a_baseline_over_the_default_ten_mib_is_refused_unread_from_a_file_or_a_revision(repo: Path) -> None:
    big = b"#" * (10 * MIB) + b"\n"
    (repo / "base.yaml").write_bytes(big)
    assert _refused(lambda: read_baseline("base.yaml", Path("plans/group.yaml"))).startswith(
        "the baseline file base.yaml: larger than 10 MiB"
    )
    (repo / "plans" / "group.yaml").write_bytes(big)
    git_in(repo, "commit", "-qam", "big")
    assert _refused(lambda: read_baseline("HEAD", Path("plans/group.yaml"))) == (
        "plans/group.yaml at HEAD is larger than 10 MiB; it is not a plan cio-kit reads"
    )


def test_a_baseline_is_loaded_within_the_configured_limits_and_must_be_sound(repo: Path) -> None:
    """The configured depth holds for a baseline too (the plan's exit criteria are four levels
    down); a baseline with a dependency cycle cannot place its stages, so it cannot be used."""
    (repo / "base.yaml").write_text(MINIMAL, encoding="utf-8")
    assert _refused(
        lambda: read_baseline("base.yaml", Path("plans/group.yaml"), FileLimits(max_depth=3))
    ) == (
        "the baseline base.yaml cannot be used: PLAN007 nesting is deeper than 3 levels; a plan never needs "
        "this, so the file is refused unread"
    )
    cycle = MINIMAL + (
        "  - {id: S-B, title: B, kind: training, duration_weeks: 1, depends_on: [S-C]}\n"
        "  - {id: S-C, title: C, kind: training, duration_weeks: 1, depends_on: [S-B]}\n"
    )
    (repo / "base.yaml").write_text(cycle, encoding="utf-8")
    assert _refused(lambda: read_baseline("base.yaml", Path("plans/group.yaml"))).startswith(
        "the baseline base.yaml cannot be used: DEP001 dependency cycle"
    )


def test_git_failing_without_a_word_is_said_to_have_failed() -> None:
    from cio_kit.analysis.baseline import _said

    assert _said(subprocess.CalledProcessError(128, ["git"], stderr=b"")) == "failed"
    assert _said(subprocess.CalledProcessError(128, ["git"], stderr=b"warning: x\nfatal: y\n")) == "fatal: y"


def test_the_files_at_a_revision_are_listed_from_any_current_folder_names_in_any_encoding(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file name git holds in Latin-1 (not UTF-8) comes back as the name the file system knows, and
    its content is read under it."""
    latin = os.fsdecode(b"plans/caf\xe9.yaml")
    (repo / latin).write_text(MINIMAL, encoding="utf-8")
    git_in(repo, "add", ".")
    git_in(repo, "commit", "-qm", "latin")
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    found = git_files("HEAD", repo / "plans")
    assert (repo / latin).resolve() in {path.resolve() for path in found}
    assert len(found) == 4
    # What the listing gives, the reader reads (it once took the Latin-1 name for a path outside git).
    contents = git_blobs("HEAD", found, 1000)
    assert contents == {path: path.read_bytes() for path in found}  # all committed as they stand
    assert git_blobs("v1", [repo / latin], 1000) == {repo / latin: None}  # git: "…caf\xe9.yaml missing"


def test_many_blobs_at_once_are_each_cut_at_their_own_size(repo: Path) -> None:
    """git cat-file --batch answers "<sha> blob <size>", the content and a newline, one after another:
    each content is exactly its own, the last one's too."""
    paths = [repo / "plans" / name for name in ("group.yaml", "plant.yml", "财务.yaml")]
    expected = {path: (git_in(repo, "show", f"v1:plans/{path.name}") + "\n").encode() for path in paths}
    assert git_blobs("v1", paths, 10_000) == expected
    assert len(set(expected.values())) == 3
    outside = repo.parent / "outside-git"
    outside.mkdir()
    assert _refused(lambda: git_blobs("v1", [outside / "plan.yaml"], 1000)).startswith(
        "git cannot read the files at v1: fatal: not a git repository"
    )


def test_a_broken_system_wide_git_configuration_is_not_read(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading history asks git for no system configuration (SPEC §17): a broken one stops nothing."""
    broken = repo / "system.gitconfig"
    broken.write_text("[core\nbroken", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", str(broken))
    assert git_show("v1", Path("plans/group.yaml")) == MINIMAL.encode()


def test_a_revision_with_spaces_is_git_s_to_read() -> None:
    assert checked_ref("HEAD@{1 day ago}") == "HEAD@{1 day ago}"
