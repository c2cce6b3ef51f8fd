"""JUnit XML output, for CI systems that show test reports (GitLab, Jenkins, Azure).

One testsuite per plan file; one failing testcase per finding at or above
the fail level; a file with none has one passing testcase (SPEC §7).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from cio_kit.findings import FailOn, Report


def render(report: Report, fail_on: FailOn) -> str:
    """The report as a JUnit XML document."""
    suites = ET.Element("testsuites", name="cio-kit")
    total_tests = total_failures = 0
    for result in report.files:
        failing = [f for f in result.findings if fail_on.fails(f.severity)]
        if result.skipped and not failing:
            continue
        suite = ET.SubElement(suites, "testsuite", name=result.file)
        if failing:
            for finding in failing:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=result.file,
                    name=f"{finding.rule} {finding.path or 'file'} ({finding.line}:{finding.column})",
                    file=finding.file,
                    line=str(finding.line),
                )
                failure = ET.SubElement(case, "failure", message=finding.message, type=finding.rule)
                failure.text = (
                    f"{finding.file}:{finding.line}:{finding.column} {finding.severity.value} "
                    f"{finding.rule} {finding.message}"
                )
        else:
            ET.SubElement(suite, "testcase", classname=result.file, name="plan is valid", file=result.file)
        tests = max(len(failing), 1)
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
