"""JUnit XML output, for CI systems that show test reports (GitLab, Jenkins, Azure).

Valid against the Jenkins xunit plugin's schema (``junit-10.xsd``), SPEC §15:
one testsuite per plan file, with the file in the suite's ``file`` attribute
(a testcase has no ``file`` or ``line`` in that schema). A finding at or above
the fail level is a failing testcase whose message starts with
``file:line:col``; a finding below it is a passing testcase with its text in
``system-out``, so a reviewer still sees warnings; a file with no finding has
one passing testcase.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from cio_kit.findings import FailOn, Finding, Report
from cio_kit.render.escape import xml_text


def _where(finding: Finding) -> str:
    return f"{finding.file}:{finding.line}:{finding.column}"


def render(report: Report, fail_on: FailOn) -> str:
    """The report as a JUnit XML document."""
    suites = ET.Element("testsuites", name="cio-kit")
    total_tests = total_failures = 0
    for result in report.files:
        failing = [f for f in result.findings if fail_on.fails(f.severity)]
        if result.skipped and not result.findings:
            continue
        file = xml_text(result.file)
        suite = ET.SubElement(suites, "testsuite", name=file, file=file)
        for finding in result.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=file,
                name=xml_text(f"{finding.rule} {finding.path or 'file'} ({finding.line}:{finding.column})"),
            )
            text = xml_text(f"{_where(finding)} {finding.severity.value} {finding.rule} {finding.message}")
            if finding in failing:
                failure = ET.SubElement(case, "failure", message=text, type=finding.rule)
                failure.text = text
            else:
                ET.SubElement(case, "system-out").text = text
        if not result.findings:
            ET.SubElement(suite, "testcase", classname=file, name="plan is valid")
        tests = max(len(result.findings), 1)
        suite.set("tests", str(tests))
        suite.set("failures", str(len(failing)))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += tests
        total_failures += len(failing)
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
