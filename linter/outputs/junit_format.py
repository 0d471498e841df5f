"""JUnit XML for CI test reports: one test suite, one test case per linted file, and one
`<failure>` per finding in it (a file without findings is a passing case)."""

from __future__ import annotations

from xml.etree import ElementTree

from fglint.engine.report import Report


def render(report: Report, *, to_terminal: bool = False, show_source: bool | None = None) -> str:
    files = sorted({f.path for f in report.linted} | {f.span.path for f in report.findings})
    suite = ElementTree.Element(
        "testsuite",
        name="fglint",
        tests=str(len(files)),
        failures=str(len(report.findings)),
        errors="0",
    )
    for path in files:
        case = ElementTree.SubElement(suite, "testcase", classname="fglint", name=path)
        for finding in (f for f in report.findings if f.span.path == path):
            failure = ElementTree.SubElement(
                case,
                "failure",
                type=finding.code,
                message=f"{finding.span}: {finding.code} [{finding.severity}] {finding.message}",
            )
            failure.text = f"{finding.span}: {finding.message}"
    suites = ElementTree.Element("testsuites")
    suites.append(suite)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
