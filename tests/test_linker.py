"""Linking services across files: task definitions, target groups, subnets, security groups.

JSON inputs are written to a temporary directory and loaded as a run would; Terraform-like
references are built directly (an `UnknownNode` with `ref`), so the linker and the rules that
need subnets and security groups are tested without a Terraform front-end.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fglint.aws.services import deregistration_delay, target_groups_of
from fglint.engine.config import Config
from fglint.engine.run import run
from fglint.frontends.jsonpos import parse_json
from fglint.linker import link
from fglint.load import load
from fglint.model import (
    Project,
    SecurityGroup,
    Service,
    SourceFile,
    Subnet,
    TargetGroup,
    TaskDefinition,
)
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, UnknownNode

TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/6d0ecf831eec9f09"
TASK = {
    "family": "web",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "containerDefinitions": [
        {"name": "app", "image": "example/web:1.0", "portMappings": [{"containerPort": 8080}]}
    ],
}
ENTRY = {"targetGroupArn": TG_ARN, "containerName": "app", "containerPort": 8080}
SERVICE: dict[str, Any] = {
    "serviceName": "web",
    "taskDefinition": "web",
    "launchType": "FARGATE",
    "desiredCount": 2,
    "loadBalancers": [ENTRY],
}


def write(folder: Path, name: str, data: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data, indent=2), encoding="utf-8")


def only(project: Project, cls: type[Service]) -> Service:
    (found,) = list(project.of(cls))
    return found


def test_service_finds_task_definition_by_family_revision_and_arn(tmp_path: Path) -> None:
    write(tmp_path, "task.json", TASK)
    for reference in ("web", "web:3", "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3"):
        write(tmp_path, "service.json", {**SERVICE, "taskDefinition": reference})
        project = load([str(tmp_path)])
        service = only(project, Service)
        assert service.task_definition is not None, reference
        assert service.task_definition.services == [service]


def test_revision_must_match_a_described_task_definition(tmp_path: Path) -> None:
    write(tmp_path, "task.json", {"taskDefinition": {**TASK, "revision": 4}})
    write(tmp_path, "service.json", {**SERVICE, "taskDefinition": "web:3"})
    assert only(load([str(tmp_path)]), Service).task_definition is None
    write(tmp_path, "service.json", {**SERVICE, "taskDefinition": "web:4"})
    assert only(load([str(tmp_path)]), Service).task_definition is not None


def test_same_directory_wins_among_several_families(tmp_path: Path) -> None:
    write(tmp_path / "a", "task.json", TASK)
    write(tmp_path / "a", "service.json", SERVICE)
    write(tmp_path / "b", "task.json", TASK)
    project = load([str(tmp_path)])
    service = only(project, Service)
    assert service.task_definition is not None
    assert service.task_definition.file.path.endswith("a/task.json")


def test_ambiguous_family_stays_unlinked(tmp_path: Path) -> None:
    write(tmp_path / "a", "task.json", TASK)
    write(tmp_path / "b", "task.json", TASK)
    write(tmp_path / "c", "service.json", SERVICE)
    assert only(load([str(tmp_path)]), Service).task_definition is None


def test_target_group_by_arn_name_with_its_attributes(tmp_path: Path) -> None:
    write(tmp_path, "service.json", SERVICE)
    write(tmp_path, "tg.json", {"Name": "web-tg", "Protocol": "HTTP", "TargetType": "ip"})
    attributes = [{"Key": "deregistration_delay.timeout_seconds", "Value": "20"}]
    write(tmp_path, "attrs.json", {"TargetGroupArn": TG_ARN, "Attributes": attributes})
    write(tmp_path, "other.json", {"Name": "other-tg", "Protocol": "HTTP"})
    service = only(load([str(tmp_path)]), Service)
    shapes = sorted(group.shape for group in service.target_groups)
    assert shapes == ["CreateTargetGroupRequest", "ModifyTargetGroupAttributesRequest"]
    entry = service.node.objects("loadBalancers")[0]
    found = deregistration_delay(target_groups_of(service, entry))
    assert found is not None and found[0] == 20
    assert found[1] is not None and found[1].span.path.endswith("attrs.json")


def test_default_delay_only_for_a_created_target_group(tmp_path: Path) -> None:
    write(tmp_path, "service.json", SERVICE)
    write(tmp_path, "tg.json", {"TargetGroups": [{"TargetGroupArn": TG_ARN, "Port": 80}]})
    service = only(load([str(tmp_path)]), Service)
    assert [g.shape for g in service.target_groups] == ["TargetGroup"]
    assert deregistration_delay(service.target_groups) is None  # describe output: unknown


def test_service_inputs_and_outputs_are_recognised(tmp_path: Path) -> None:
    write(tmp_path, "update.json", {"cluster": "prod", "service": "web", "desiredCount": 3})
    write(tmp_path, "described.json", {"services": [{**SERVICE, "serviceArn": "x"}, SERVICE]})
    write(tmp_path, "run-task.json", {"taskDefinition": "web", "count": 1, "launchType": "FARGATE"})
    project = load([str(tmp_path)])
    shapes = sorted((s.shape, s.name) for s in project.of(Service))
    assert shapes == [("Service", "web"), ("Service", "web"), ("UpdateServiceRequest", "web")]


# Terraform-like resources, built directly.


def obj(data: dict[str, Any], path: str = "main.tf") -> ObjectNode:
    """A located object; strings `ref:<address>` become unknown references to that address."""
    root, _ = parse_json(json.dumps(data, indent=1), path)
    node = refs(root)
    assert isinstance(node, ObjectNode)
    return node


def refs(node: Node) -> Node:
    if isinstance(node, ObjectNode):
        node.fields = {key: refs(value) for key, value in node.fields.items()}
    elif isinstance(node, ListNode):
        node.items = [refs(item) for item in node.items]
    elif isinstance(node, ScalarNode) and str(node.value).startswith("ref:"):
        address = str(node.value)[4:]
        return UnknownNode(node.span, f"{address}.id", ref=address)
    return node


def terraform_project(ingress: dict[str, Any], cidrs: tuple[str, str], desired: int) -> Project:
    file = SourceFile("main.tf", "/main.tf", "")
    project = Project(files=[file])
    network = {
        "subnets": ["ref:aws_subnet.a", "ref:aws_subnet.b"],
        "securityGroups": ["ref:aws_security_group.task"],
    }
    service = {
        **SERVICE,
        "taskDefinition": "ref:aws_ecs_task_definition.web",
        "desiredCount": desired,
        "loadBalancers": [{**ENTRY, "targetGroupArn": "ref:aws_lb.tg"}],
        "networkConfiguration": {"awsvpcConfiguration": network},
    }
    project.add(Service(obj(service), file, name="web", address="aws_ecs_service.web"))
    project.add(TaskDefinition.build(obj(TASK), file, address="aws_ecs_task_definition.web"))
    tg = obj({"Name": "web-tg", "Protocol": "HTTP", "TargetType": "ip"})
    project.add(TargetGroup(tg, file, name="web-tg", address="aws_lb.tg"))
    for name, cidr, zone in (("a", cidrs[0], "us-east-1a"), ("b", cidrs[1], "us-east-1b")):
        node = obj({"CidrBlock": cidr, "AvailabilityZone": zone})
        project.add(Subnet(node, file, name=name, address=f"aws_subnet.{name}"))
    group = obj({"IpPermissions": [ingress]})
    project.add(SecurityGroup(group, file, name="task", address="aws_security_group.task"))
    link(project)
    return project


PORT = {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080}


def messages(project: Project, select: str) -> list[str]:
    return [f.message for f in run(project, Config(select=[select])).findings]


def test_references_link_subnets_groups_task_and_target_group() -> None:
    ingress = {**PORT, "UserIdGroupPairs": [{"GroupId": "ref:aws_security_group.alb"}]}
    project = terraform_project(ingress, ("10.0.1.0/24", "10.0.2.0/24"), 4)
    service = only(project, Service)
    assert service.task_definition is not None
    assert [s.name for s in service.subnets] == ["a", "b"]
    assert [g.name for g in service.security_groups] == ["task"]
    assert [g.name for g in service.target_groups] == ["web-tg"]
    assert messages(project, "FG704") == []
    assert messages(project, "FG705") == []
    assert messages(project, "FG702") == []


def test_fg704_flags_cidr_ingress_and_names_the_range() -> None:
    world = {**PORT, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    (message,) = messages(terraform_project(world, ("10.0.1.0/24", "10.0.2.0/24"), 4), "FG704")
    assert "admits 0.0.0.0/0 on port 8080" in message
    vpc = {**PORT, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}
    (message,) = messages(terraform_project(vpc, ("10.0.1.0/24", "10.0.2.0/24"), 4), "FG704")
    assert "10.0.0.0/16" in message


def test_fg704_unknown_cidr_is_silent() -> None:
    ingress = {**PORT, "IpRanges": [{"CidrIp": "ref:var.allowed"}]}
    assert messages(terraform_project(ingress, ("10.0.1.0/24", "10.0.2.0/24"), 4), "FG704") == []


def test_fg705_counts_usable_ips_and_the_peak() -> None:
    ingress = {**PORT, "UserIdGroupPairs": [{"GroupId": "sg-0alb"}]}
    # two /28: 11 usable each = 22; 12 tasks x 200% = 24 at the peak
    (message,) = messages(terraform_project(ingress, ("10.0.1.0/28", "10.0.1.16/28"), 12), "FG705")
    assert "can run 24 tasks" in message and "22 usable IPs" in message
    assert messages(terraform_project(ingress, ("10.0.1.0/28", "10.0.1.16/28"), 11), "FG705") == []


def test_fg705_silent_when_a_cidr_is_unknown() -> None:
    ingress = {**PORT, "UserIdGroupPairs": [{"GroupId": "sg-0alb"}]}
    project = terraform_project(ingress, ("10.0.1.0/28", "ref:var.cidr"), 40)
    assert messages(project, "FG705") == []


def test_json_service_links_a_terraform_target_group_by_its_name(tmp_path: Path) -> None:
    """The ARN carries the ELBv2 name (`Name`), not the Terraform address the group is shown by."""
    write(tmp_path, "service.json", SERVICE)
    (tmp_path / "main.tf").write_text(
        'resource "aws_lb_target_group" "web" {\n'
        '  name                 = "web-tg"\n'
        "  deregistration_delay = 20\n"
        "}\n",
        encoding="utf-8",
    )
    service = only(load([str(tmp_path)]), Service)
    assert [g.address for g in service.target_groups] == ["aws_lb_target_group.web"]


def test_scheduled_tasks_and_jobs_link_to_their_task_definitions() -> None:
    """EventBridge targets, Scheduler schedules and Step Functions `ecs:runTask` states."""
    from helpers import FIXTURES

    for name in ("good_cfn_scheduled_task.yaml", "good_tf_scheduled_task.tf"):
        project = load([str(FIXTURES / "FG401" / name)])
        runs = {t.family: len(t.schedules) for t in project.task_definitions if t.file.report}
        assert runs == {"nightly-report": 1, "cleanup": 1, "migrate": 1}, name
    served = load([str(FIXTURES / "FG401" / "bad_cfn_scheduled_and_served.yaml")])
    (task,) = served.task_definitions
    assert len(task.services) == 1 and len(task.schedules) == 1
