"""Plan hygiene: the loader's rules (PLAN001–PLAN007) and stale suppressions (PLAN008).

PLAN001–PLAN007 are applied by the loader and are blocking: without a sound
model there is nothing to reason about. They are documented here so that
``cio-kit rules`` and SARIF describe them like every other rule. PLAN008 is
applied by the engine after the suppressions have been matched.
"""

from __future__ import annotations

from cio_kit.findings import Severity
from cio_kit.rules.registry import document

document(
    "PLAN001",
    "unreadable-file",
    "plan",
    """
    The file cannot be read, is not UTF-8, or is not valid YAML.

    What it checks:
        The file can be opened, decodes as UTF-8 (a UTF-8 byte-order mark is
        fine; UTF-16 is not) and parses as YAML. The finding gives the line and
        column where the parser gave up, and a hint for common causes such as
        a tab used for indentation.

    Why it matters:
        A plan that does not parse cannot be checked at all; in CI it must
        fail loudly rather than be skipped.

    Example:
        stages:
          - id: S-A
        →   kind: training      # → is a tab: YAML indents with spaces only

    Fix:
        Correct the syntax at the reported position; indent with spaces and
        save the file as UTF-8.
    """,
)

document(
    "PLAN002",
    "schema-mismatch",
    "plan",
    """
    The document does not match the plan format, version 1.

    What it checks:
        Every key is known, every value has the right type (numbers are
        numbers, dates are YYYY-MM-DD, amounts are finite and not negative),
        required keys are present, and fields agree with each other: a
        milestone has no duration, other stages have one, estimates are
        ordered optimistic ≤ likely ≤ pessimistic, the CIO's time split adds
        up to 100, a mandatory stage says why (mandatory_reason), and dates
        have a plan_start to count from. Tags such as
        !!python/object are refused.

    Why it matters:
        YAML is forgiving in ways that hide mistakes: `yes` is text in YAML
        1.2, "1_000" is not a number, and a misspelt key is silently ignored
        by most tools. A strict schema makes a typo a finding, not a gap in
        the analysis.

    Example:
        - id: S-A
          kind: training
          duration_weeks: eight
          dependson: [S-KICKOFF]

    Fix:
        Use the type the message names, and the spelling it suggests.
    """,
)

document(
    "PLAN003",
    "duplicate-key",
    "plan",
    """
    The same key appears twice in one mapping.

    What it checks:
        No mapping repeats a key. A key that overrides one brought in by a
        merge key (<<) is allowed; two << keys in one mapping are not.

    Why it matters:
        Most YAML readers keep the last value and drop the first without a
        word. One of the two was meant, and the reader cannot know which.

    Example:
        - id: S-A
          duration_weeks: 4
          duration_weeks: 40

    Fix:
        Remove the value that is wrong.
    """,
)

document(
    "PLAN004",
    "duplicate-id",
    "plan",
    """
    Two elements of the plan share an id.

    What it checks:
        Every id (goals, processes, phases, stages, budget lines, stakeholder
        groups, offences, cases) is unique across the whole plan. The finding
        points at the second occurrence.

    Why it matters:
        References by id (depends_on, serves, affects…) become ambiguous.

    Example:
        stages:
          - {id: S-BUILD, title: Build ERP, kind: system-rollout, duration_weeks: 20}
          - {id: S-BUILD, title: Build MES, kind: system-rollout, duration_weeks: 12}

    Fix:
        Rename one of them and update the references.
    """,
)

document(
    "PLAN005",
    "unknown-reference",
    "plan",
    """
    A reference names an id that is not defined, or an element of the wrong kind.

    What it checks:
        depends_on and action stages name stages; serves names goals;
        processes names processes; affects, case groups, counselling and
        reward groups name stakeholder groups; phase names a phase; case
        offences name offences; stage departments are among
        enterprise.departments when that list is given.

    Why it matters:
        A dangling reference silently drops a dependency, a goal link or a
        people action from every analysis.

    Example:
        - id: S-GOLIVE
          depends_on: [S-BUIDL]    # S-BUILD was meant

    Fix:
        Correct the id, or define the element it names.
    """,
)

document(
    "PLAN006",
    "not-a-plan",
    "plan",
    """
    The file is not a cio-kit plan of a supported version.

    What it checks:
        A file named on the command line has a top-level mapping with
        `cio_kit: 1`. In a directory, YAML files without cio_kit are skipped,
        but one that looks like a mistyped plan (an enterprise or stages key
        beside a key such as cio-kit) is an error and counts as a plan file,
        so a directory holding only a mistyped plan fails.

    Why it matters:
        A typo in the marker key must not silently drop a plan from CI.

    Example:
        cio-kit: 1          # should be cio_kit
        enterprise: {name: Example Co}

    Fix:
        Start the plan with `cio_kit: 1`.
    """,
)

document(
    "PLAN007",
    "safety-limit",
    "plan",
    """
    The input is over a safety limit: size, nesting depth or alias expansion.

    What it checks:
        Files up to max_file_mib (10 MiB by default), nesting up to 64 levels
        (refused before it is parsed further), and aliases that expand the
        document no more than ten times its written size (plus a small
        allowance). Each is refused within a second.

    Why it matters:
        CI runs whatever lands. An alias bomb or a pathologically deep
        document must not hang or crash the job.

    Example:
        a: &a [x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]   # and so on

    Fix:
        Write the plan out plainly; split very large plans into several files.
    """,
)


document(
    "PLAN008",
    "stale-suppression",
    "plan",
    """
    An inline suppression silences nothing, names an unknown rule, or gives no reason.

    What it checks:
        Each `# cio-kit: ignore[RULE, ...] reason` comment names known,
        non-blocking rules, gives a reason, and silences at least one finding
        on its line.

    Why it matters:
        Suppressions outlive the problems they were written for; a stale one
        hides the next real problem on that line, and one without a reason
        cannot be reviewed.

    Example:
        - id: S-OPS  # cio-kit: ignore[STRAT001]

    Fix:
        Add the reason after the bracket, or remove the suppression.
    """,
    Severity.INFO,
)


document(
    "PLAN010",
    "baseline-unreadable",
    "plan",
    """
    The baseline set in cio-kit.yaml cannot be read, so progress is judged against the plan as written.

    What it checks:
        With `baseline:` in cio-kit.yaml and a plan that has a status_date,
        the plan file can be read at that git ref (or the baseline file
        exists and is a sound plan). Reported once per plan, at
        `enterprise.status_date`.

    Why it matters:
        SCHED001 and SCHED004 compare progress with the approved baseline.
        A shallow CI clone without the tag, or a plan added since, has no
        baseline; CI must not go red for want of history, but the reader
        must know the comparison fell back to the plan as written.

    Example:
        # cio-kit.yaml
        baseline: v1-approved   # the CI clone has no tags

    Fix:
        Fetch the history in CI (e.g. `fetch-depth: 0` with actions/checkout),
        or point `baseline:` at a ref or file that exists.
    """,
    Severity.INFO,
)


document(
    "PLAN009",
    "cross-plan-unchecked",
    "plan",
    """
    The plan depends on other plans' stages and was validated alone: those links were not checked.

    What it checks:
        A `depends_on` entry written `plan:STAGE` names a stage of another
        plan of the portfolio. Validating a folder (or the configured paths)
        resolves it against every plan under the configured paths: an unknown
        plan or stage is PLAN005, a loop through several plans DEP001.
        Validating one file cannot, and says so once, at the first such entry.

    Why it matters:
        A MES rollout that waits for the ERP go-live in another programme's
        plan is only as safe as that link: a renamed stage there would leave
        the rollout free to start before the ERP exists, with no finding.

    Example:
        - id: S-MES-ROLLOUT
          depends_on: [erp:S-ERP-GOLIVE]   # checked with `cio-kit plan validate plans/`

    Fix:
        Validate the folder that holds all the plans (CI should), or name
        the plans under `paths:` in cio-kit.yaml.
    """,
    Severity.INFO,
)
