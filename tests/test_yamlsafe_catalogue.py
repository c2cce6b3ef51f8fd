"""The YAML reader on a catalogue of small documents: value, problems and positions.

One golden file shows, for each document, what the reader returns: the value,
every problem with its 1-based line and column and its message, and where each
element was written. A reader that misplaces a column, drops a hint or lets a
merge win the wrong way changes the file.
"""

from __future__ import annotations

from collections.abc import Callable

from cio_kit.plan.yamlsafe import read_yaml

CATALOGUE: list[tuple[str, str, int]] = [
    ("unclosed flow sequence", "stages: [a, b\nother: 1\n", 64),
    ("tab indentation", "enterprise:\n\tname: X\n", 64),
    ("mapping value where none is allowed", "a: b: c\n", 64),
    ("a key indented less than its mapping", "a:\n  - 1\n b: 2\n", 64),
    ("a key among list items", "a:\n  - 1\n  b: 2\n", 64),
    ("a list as a key", "? [a, b]\n: 1\nc: 2\n", 64),
    ("NaN as a key", "x: 1\n.nan: 1\n", 64),
    ("duplicate key", "a: 1\nb: 2\na: 3\n", 64),
    ("duplicate number key", "years: {2027: 1, 2027: 2}\n", 64),
    ("two merge keys", "b: &b {x: 1}\nc: &c {y: 2}\nm:\n  <<: *b\n  <<: *c\n", 64),
    ("merge of a number", "m:\n  <<: 5\n  k: 1\n", 64),
    ("merge of an empty list", "m:\n  <<: []\n", 64),
    (
        "merge order: explicit keys, then the first mapping",
        "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nm:\n  w: 0\n  <<: [*a, *b]\n  z: 3\n",
        64,
    ),
    ("core tags", "a: !!int 5\nb: !!float 5\nc: !!bool true\nd: !!null null\ne: !!str 5\nf: ! 7\n", 64),
    ("tags that do not match", "a: !!int x\nb: !!bool yes\nc: !!float 1.5e\n", 64),
    ("foreign tags", "a: !!binary aGk=\nb: !custom x\nc: !!set {a}\nd: !!omap [a: 1]\ne: !!map {k: 1}\n", 64),
    ("an alias without an anchor", "a: 1\nb: *nowhere\n", 64),
    ("an alias inside its own anchor", "a: &x [1, *x]\n", 64),
    ("a character YAML refuses", "x: 1\nab: c\x07d\n", 64),
    ("a character YAML refuses after blank lines", "\n\nab: c\x07d\n", 64),
    ("a character YAML refuses at the start", "\x07\n", 64),
    ("an alias to a list as a key", "k: &k [1]\n? *k\n: 2\n", 64),
    ("an alias to a text as a key", "k: &k name\n*k : 2\n", 64),
    ("'<<' through an alias or in quotes is an ordinary key", "k: &m <<\n*m : 1\n'<<': 2\n", 64),
    ("nesting deeper than allowed", "a: {b: {c: {d: 1}}}\n", 3),
    ("nesting at the limit", "a: {b: 1}\n", 2),
    ("anchored scalar reused", "a: &v 5\nb: [*v, *v]\n", 64),
    ("numbers as written", "a: 0x1F\nb: 1_000\nc: 1e3\nd: 010\ne: 1.50\nf: 7\n", 64),
    ("a list of mappings", "s:\n  - id: A\n    n: 1\n  - id: B\n", 64),
]


def _describe(name: str, text: str, depth: int) -> str:
    document = read_yaml(text, max_depth=depth, positions=True)
    lines = [f"### {name}", *(f"    {line!r}" for line in text.splitlines())]
    lines.append(f"value: {document.data!r}")
    lines.append(f"present: {document.present}")
    for problem in document.problems:
        line, column = problem.mark
        lines.append(f"{problem.rule} {line + 1}:{column + 1} {problem.message} at {list(problem.path)}")
    for path, (line, column) in sorted((document.positions or {}).items(), key=lambda item: repr(item[0])):
        shown = ["<<" if type(step).__name__ == "_MergeKey" else step for step in path]
        lines.append(f"  {shown} {line + 1}:{column + 1}")
    return "\n".join(lines)


def test_the_reader_on_the_catalogue(golden: Callable[[str, str], None]) -> None:
    golden("yamlsafe-catalogue.txt", "\n\n".join(_describe(*entry) for entry in CATALOGUE) + "\n")


def test_without_positions_nothing_is_recorded() -> None:
    assert read_yaml("a: {b: 1}\n").positions is None


def test_an_empty_stream_is_not_present_and_a_null_document_is() -> None:
    assert read_yaml("# only a comment\n").present is False
    assert read_yaml("~\n").present is True
