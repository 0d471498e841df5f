"""The guide's own examples (`fixtures/guide/`, taken from fargate-production-guide.txt) lint
clean with every default rule, and its incident's original configuration raises what the
incident report names as root causes.

- checkout-api/: section 1's task definition; section 2's awsvpc configuration and section 4's
  deployment configuration and grace period, wrapped in a create-service input; section 3's
  register-scalable-target (as its JSON input), the request-count target-tracking file passed
  with `file://`, and the same policy as a put-scaling-policy input.
- worker/: section 3's queue-depth step-scaling policy (a put-scaling-policy input).
- cluster/: section 7's update-cluster-settings (Container Insights `enhanced`) and section 8's
  put-cluster-capacity-providers.
- incident-original/ and incident-fixed/: the enterprise scenario's payment-authorization
  service before and after its fix (CPU-only scaling -> request count with a CPU backstop;
  `sh -c "java -jar app.jar"` -> `exec`; deregistration delay 300 (default) -> 30 with
  stopTimeout 30 -> 60; the fixed deployment configuration), as JSON inputs; the fixed target
  group is the guide's Terraform block in incident-fixed-terraform/, whose other resources are
  the same fix in Terraform (incident-original-terraform/ is the same before the fix).
"""

from __future__ import annotations

from pathlib import Path

from fglint.engine.run import Finding
from fglint.load import load
from fglint.model import Cluster, ScalableTarget, ScalingPolicy, Service, TaskDefinition
from helpers import FIXTURES, lint

GUIDE = FIXTURES / "guide"


def described(findings: list[Finding]) -> str:
    return "\n".join(f"{f.span}: {f.code} {f.message}" for f in findings)


def where(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.code, Path(f.span.path).name) for f in findings}


def test_the_guides_setup_lints_clean_as_a_whole() -> None:
    findings = lint([GUIDE / "checkout-api", GUIDE / "worker", GUIDE / "cluster"])
    assert findings == [], described(findings)


def test_each_example_lints_clean_on_its_own() -> None:
    files = sorted((GUIDE / "checkout-api").glob("*.json"))
    files += sorted((GUIDE / "worker").glob("*.json")) + sorted((GUIDE / "cluster").glob("*"))
    assert len(files) == 8
    for path in files:
        findings = lint([path])
        assert findings == [], described(findings)


def test_the_guides_examples_are_all_recognised() -> None:
    project = load([str(GUIDE / "checkout-api"), str(GUIDE / "cluster")])
    kinds = {type(r) for r in project.resources}
    assert {TaskDefinition, Service, ScalableTarget, ScalingPolicy, Cluster} <= kinds
    (service,) = project.of(Service)
    assert service.task_definition is not None and service.cluster is not None
    assert [t.service for t in project.of(ScalableTarget)] == [service]


def test_the_incidents_original_configuration_raises_its_root_causes() -> None:
    findings = lint([GUIDE / "incident-original"])
    assert where(findings) == {
        ("FG301", "payment-auth.task.json"),  # sh -c swallows SIGTERM
        ("FG305", "target-group.json"),  # deregistration delay 300 (default) > stopTimeout 30
        ("FG904", "cpu-tt.json"),  # behind an ALB, scaled on CPU only
    }, described(findings)
    by_code = {f.code: f for f in findings}
    fg305_related = {Path(span.path).name for span, _ in by_code["FG305"].related}
    assert fg305_related == {"payment-auth.task.json", "service.json"}
    fg904_related = {Path(span.path).name for span, _ in by_code["FG904"].related}
    assert fg904_related == {"service.json"}


def test_the_incidents_fixed_configuration_lints_clean() -> None:
    findings = lint([GUIDE / "incident-fixed"])
    assert findings == [], described(findings)


def test_the_incident_in_terraform_raises_the_same_root_causes() -> None:
    findings = lint([GUIDE / "incident-original-terraform"])
    assert {f.code for f in findings} == {"FG301", "FG305", "FG904"}, described(findings)
    fg904 = next(f for f in findings if f.code == "FG904")
    assert fg904.span.line == 137  # predefined_metric_type of the CPU policy
    assert [span.line for span, _ in fg904.related] == [99]  # the service's load_balancer


def test_the_guides_fixed_target_group_in_terraform_lints_clean() -> None:
    project = load([str(GUIDE / "incident-fixed-terraform")])
    (service,) = project.of(Service)
    assert [g.node.int("DeregistrationDelay") for g in service.target_groups] == [30]
    assert len(service.scalable_targets) == 1 and len(service.scalable_targets[0].policies) == 2
    findings = lint([GUIDE / "incident-fixed-terraform"])
    assert findings == [], described(findings)


def test_the_guides_arm64_task_may_take_its_spot_default_strategy(tmp_path: Path) -> None:
    """Section 8's default strategy sends tasks to FARGATE_SPOT and section 1's task is ARM64.
    The guide's service sets `launchType` FARGATE, so the default does not apply to it; without
    the launch type it would, and that is fine too: Fargate Spot runs ARM64 Linux tasks on
    platform version 1.4.0 or later (the ECS API reference, CapacityProviderStrategyItem), and
    the guide runs LATEST (1.4.0). FG806 stays silent; pinned to 1.3.0 it would not."""
    for name in ("checkout-api.task.json", "service.json"):
        (tmp_path / name).write_text((GUIDE / "checkout-api" / name).read_text("utf-8"), "utf-8")
    cluster = GUIDE / "cluster" / "put-cluster-capacity-providers.json"
    (tmp_path / "cluster.json").write_text(cluster.read_text("utf-8"), "utf-8")
    service = tmp_path / "service.json"
    service.write_text(service.read_text("utf-8").replace('"launchType": "FARGATE",', ""), "utf-8")
    assert '"launchType"' not in service.read_text("utf-8")
    assert lint([tmp_path], ["FG806"]) == []
    pinned = service.read_text("utf-8").replace('"LATEST"', '"1.3.0"')
    service.write_text(pinned, "utf-8")
    assert {f.code for f in lint([tmp_path], ["FG806"])} == {"FG806"}
