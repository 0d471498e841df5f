"""link_scaling: services to clusters, scalable targets to services, policies to targets."""

from __future__ import annotations

import json
from pathlib import Path

from fglint.linker import link
from fglint.load import load
from fglint.model import Cluster, Project, ScalableTarget, ScalingPolicy, Service, SourceFile
from fglint.nodes import ObjectNode, ScalarNode, Span, UnknownNode

SPAN = Span("x.tf", 1, 1, 1, 2)
TARGET = {
    "ServiceNamespace": "ecs",
    "ResourceId": "service/prod/web",
    "ScalableDimension": "ecs:service:DesiredCount",
    "MinCapacity": 2,
    "MaxCapacity": 10,
}
POLICY = {
    "PolicyName": "cpu",
    "ServiceNamespace": "ecs",
    "ResourceId": "service/prod/web",
    "ScalableDimension": "ecs:service:DesiredCount",
    "PolicyType": "TargetTrackingScaling",
    "TargetTrackingScalingPolicyConfiguration": {
        "TargetValue": 70,
        "PredefinedMetricSpecification": {
            "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
        },
    },
}


def write(folder: Path, files: dict[str, object]) -> Project:
    for name, data in files.items():
        (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return load([str(folder)])


def service(cluster: str, name: str = "web") -> dict[str, object]:
    return {"cluster": cluster, "serviceName": name, "taskDefinition": "web:1", "desiredCount": 2}


def test_target_and_policy_link_across_json_files(tmp_path: Path) -> None:
    project = write(tmp_path, {"svc.json": service("prod"), "t.json": TARGET, "p.json": POLICY})
    (svc,) = project.of(Service)
    (target,) = project.of(ScalableTarget)
    (policy,) = project.of(ScalingPolicy)
    assert target.service is svc and svc.scalable_targets == [target]
    assert policy.target is target and target.policies == [policy]
    assert svc.scaling_policies == [policy]


def test_cluster_in_resource_id_must_match_a_known_cluster(tmp_path: Path) -> None:
    project = write(tmp_path, {"svc.json": service("staging"), "t.json": TARGET})
    (target,) = project.of(ScalableTarget)
    assert target.service is None


def test_same_service_name_in_two_clusters_is_told_apart(tmp_path: Path) -> None:
    for folder, cluster in (("a", "staging"), ("b", "arn:aws:ecs:us-east-1:1:cluster/prod")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "svc.json").write_text(json.dumps(service(cluster)))
    project = write(tmp_path, {"t.json": TARGET})
    (target,) = project.of(ScalableTarget)
    assert target.service is not None
    assert target.service.file.path.endswith("b/svc.json")


def test_policy_without_a_loaded_target_still_reaches_its_service(tmp_path: Path) -> None:
    project = write(tmp_path, {"svc.json": service("prod"), "p.json": POLICY})
    (svc,) = project.of(Service)
    (policy,) = project.of(ScalingPolicy)
    assert policy.target is None
    assert svc.scaling_policies == [policy]


def test_bare_configuration_is_a_policy_that_links_to_nothing(tmp_path: Path) -> None:
    config = POLICY["TargetTrackingScalingPolicyConfiguration"]
    project = write(tmp_path, {"svc.json": service("prod"), "tt.json": config})
    (policy,) = project.of(ScalingPolicy)
    assert policy.shape == "TargetTrackingScalingPolicyConfiguration"
    inner = policy.node.obj("TargetTrackingScalingPolicyConfiguration")
    assert inner is not None and inner.get("TargetValue") is not None
    assert policy.target is None and next(project.of(Service)).scaling_policies == []


def test_service_finds_its_cluster_by_name_preferring_the_capacity_strategy(
    tmp_path: Path,
) -> None:
    create = {"clusterName": "prod", "settings": []}
    providers = {
        "cluster": "prod",
        "capacityProviders": ["FARGATE"],
        "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 1}],
    }
    project = write(
        tmp_path, {"svc.json": service("prod"), "c1.json": create, "c2.json": providers}
    )
    (svc,) = project.of(Service)
    assert svc.cluster is not None and svc.cluster.shape == "PutClusterCapacityProvidersRequest"


def obj(**fields: str | UnknownNode) -> ObjectNode:
    node = ObjectNode(SPAN)
    for key, value in fields.items():
        node.fields[key] = value if isinstance(value, UnknownNode) else ScalarNode(SPAN, value)
        node.keys[key] = SPAN
    return node


def test_references_link_terraform_style_resources() -> None:
    file = SourceFile("x.tf", "/x.tf", "")
    project = Project()
    svc = Service(obj(serviceName="web"), file, name="web", address="aws_ecs_service.web")
    cluster = Cluster(obj(clusterName="main"), file, name="main", address="aws_ecs_cluster.main")
    svc.node.fields["cluster"] = UnknownNode(
        SPAN, "aws_ecs_cluster.main.id", "aws_ecs_cluster.main"
    )
    resource_id = UnknownNode(
        SPAN, "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.web.name}"
    )
    target = ScalableTarget(
        obj(ResourceId=resource_id, ScalableDimension="ecs:service:DesiredCount"),
        file,
        address="aws_appautoscaling_target.web",
    )
    ref = UnknownNode(
        SPAN, "aws_appautoscaling_target.web.resource_id", "aws_appautoscaling_target.web"
    )
    policy = ScalingPolicy(obj(ResourceId=ref), file, address="aws_appautoscaling_policy.cpu")
    for resource in (svc, cluster, target, policy):
        project.add(resource)
    link(project)
    assert svc.cluster is cluster
    assert target.service is svc
    assert policy.target is target


def test_an_expression_naming_two_services_links_neither() -> None:
    file = SourceFile("x.tf", "/x.tf", "")
    project = Project()
    for name in ("a", "b"):
        project.add(Service(obj(serviceName=name), file, address=f"aws_ecs_service.{name}"))
    text = "service/x/${aws_ecs_service.a.name}${aws_ecs_service.b.name}"
    target = ScalableTarget(obj(ResourceId=UnknownNode(SPAN, text)), file)
    project.add(target)
    link(project)
    assert target.service is None


def test_cloudformation_logical_ids_link_within_their_template() -> None:
    file = SourceFile("x.tf", "/x.tf", "")
    project = Project()
    svc = Service(obj(serviceName="web"), file, address="x.tf#EcsService")
    other = Service(obj(serviceName="web"), file, address="other.yaml#EcsService")
    text = "!Sub service/${EcsCluster}/${EcsService.Name}"
    target = ScalableTarget(obj(ResourceId=UnknownNode(SPAN, text)), file)
    for resource in (svc, other, target):
        project.add(resource)
    link(project)
    assert target.service is svc


def test_a_terraform_cluster_is_matched_by_its_ecs_name_not_its_address() -> None:
    file = SourceFile("x.tf", "/x.tf", "")
    project = Project()
    cluster = Cluster(obj(clusterName="prod"), file, name="aws_ecs_cluster.p", address="a.p")
    svc = Service(obj(serviceName="web"), file, name="aws_ecs_service.w", address="a.w")
    svc.node.fields["cluster"] = UnknownNode(SPAN, "aws_ecs_cluster.p.id", "a.p")
    target = ScalableTarget(obj(ResourceId="service/prod/web"), file)
    for resource in (cluster, svc, target):
        project.add(resource)
    link(project)
    assert svc.cluster is cluster and target.service is svc
