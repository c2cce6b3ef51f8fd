"""Text from a plan is untrusted wherever it lands: one escaping helper per kind of output.

Every renderer goes through these, never through ad-hoc replacements, so a
new output cannot forget a case. Each helper keeps the text readable for the
program that reads the output and inert for it: no markup, no formula, no
line that starts a new command.
"""

from __future__ import annotations

import re

# CommonMark lets any ASCII punctuation be backslash-escaped. These are the
# characters that start emphasis, code, links, images, HTML, headings,
# tables, strikethrough, entities or a GitHub @mention anywhere in a line;
# escaping the ':' of "://" and the dot of "www." stops GitHub's bare-URL autolinks.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!&@]|:(?=//))")
_BARE_WWW = re.compile(r"(?i)\b(www)\.")
# At the start of a line these open a list ("- ", "+ ", "1. ", "1) "); ">" is escaped above.
_MARKDOWN_LINE_START = re.compile(r"^([-+]|\d+(?=[.)]))(?=[.)]?(\s|$))")
_LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029]+")


def markdown(text: str) -> str:
    """Plan text for a Markdown line or table cell: shown as written, never as markup.

    Line breaks become spaces (a table row is one line), and every character
    that could start emphasis, a link, an image, HTML, a heading, a table
    cell or a mention is backslash-escaped, as CommonMark and GitHub allow.
    """
    flat = _LINE_BREAKS.sub(" ", text)
    escaped = _BARE_WWW.sub(r"\1\\.", _MARKDOWN_SPECIAL.sub(r"\\\1", flat))
    start = _MARKDOWN_LINE_START.match(escaped)
    if start is None:
        return escaped
    if start.group(1).isdigit():  # "1." opens a list: escape its dot or bracket
        cut = start.end()
        return escaped[:cut] + "\\" + escaped[cut:]
    return "\\" + escaped


def markdown_code(text: str) -> str:
    """Plan text inside an inline code span: backticks cannot close it early."""
    flat = _LINE_BREAKS.sub(" ", text)
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


# A line that begins with "::" is a GitHub workflow command wherever it is printed (SPEC §15): one
# of plan text, in any output, is given U+200B ZERO WIDTH SPACE before its "::" (invisible, and the
# text is otherwise as written).
_COMMAND_LINE = re.compile(r"(^|[\r\n\u2028\u2029\x85])([ \t]*)::")


def no_command_lines(text: str) -> str:
    """Plan text in which no line begins with ``::``, so printing it cannot issue a workflow command."""
    return _COMMAND_LINE.sub(lambda match: f"{match.group(1)}{match.group(2)}\u200b::", text)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Plan text for a spreadsheet cell: a leading ``= + - @``, tab or CR is defused with ``'``.

    OWASP's advice for CSV injection: a cell that a spreadsheet would read as
    a formula is prefixed with a single quote, which the spreadsheet shows as
    text. The csv module does the quoting.
    """
    text = no_command_lines(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


# XML 1.0 allows tab, LF and CR among the C0 controls, and no surrogates or U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    r"""Plan text for XML: characters XML 1.0 cannot hold are shown escaped (``\x02``).

    ElementTree escapes ``<``, ``&`` and quotes itself; what it cannot do is
    represent a control character, which makes the document malformed.
    """
    return no_command_lines(_NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text))


# U+200B ZERO WIDTH SPACE: invisible, not whitespace to a JavaScript regex, and
# no Mermaid keyword starts with it, so a label can never be read as one.
_MERMAID_GUARD = "\u200b"
_MERMAID_DROP = re.compile(r"[:#;%\x00-\x1f\x7f]")


def mermaid_label(text: str, *, task: bool = True) -> str:
    """Plan text for a Mermaid gantt task name or title.

    A task name ends at ``:``; ``#`` starts an entity, ``;`` a statement and
    ``%%`` a comment, so those become spaces. A name starting with a keyword
    (``click``, ``section``, ``title``, ``excludes``, ``dateFormat``,
    ``todayMarker``, ``topAxis``…) would be read as that statement, so every
    task name starts with an invisible zero-width space (a ``title`` line
    needs none: it runs to the end of the line). Angle brackets, which
    Mermaid shows as escaped markup, become single guillemets.
    """
    flat = " ".join(_MERMAID_DROP.sub(" ", text).split())
    flat = flat.replace("<", "‹").replace(">", "›") or "(untitled)"
    return _MERMAID_GUARD + flat if task else flat


# C0 controls but tab (line feed included: plan text is one line of output, and a line starting
# with "::" is a GitHub command), DEL, C1 controls, line and paragraph separators, and the bidi
# embeddings, overrides and isolates.
_NOT_FOR_TERMINAL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal(text: str) -> str:
    r"""Plan text for a terminal: control and bidi characters shown escaped (``\x1b``, ``\u202e``).

    An escape sequence in a title could recolour, move or hide what follows;
    a right-to-left override could make a line read other than it is (SPEC §15).
    Rich markup is a separate matter: plan text is printed as ``Text``, or through
    ``rich.markup.escape``, never as markup.
    """

    def shown(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code == 0x0A:
            return "\\n"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    escaped = _NOT_FOR_TERMINAL.sub(shown, text)
    if escaped.lstrip().startswith("::"):  # text that may begin a line must not begin a GitHub command
        return escaped.replace("::", "\\:\\:", 1)
    return escaped


def workflow_data(text: str) -> str:
    """Text in a GitHub workflow command's message, escaped as GitHub's toolkit does (%, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """Text in a workflow command's property (``file=``, ``title=``): also ``:`` and ``,``."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def tjp_string(text: str) -> str:
    r"""Plan text as a TaskJuggler string: double-quoted, ``\\`` and ``\"`` escaped as tj3 reads them.

    Control characters become spaces, and ``$(`` and ``${`` become ``$ (`` and
    ``$ {``: tj3 expands ``$(NAME)`` from the environment and ``${name}`` as a
    macro, so a title could otherwise print a CI secret into a report or break
    the file (SPEC §15).
    """
    cleaned = "".join(ch if ch >= " " and ch != "\x7f" else " " for ch in text)
    cleaned = cleaned.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + cleaned.replace("$(", "$ (").replace("${", "$ {") + '"'
