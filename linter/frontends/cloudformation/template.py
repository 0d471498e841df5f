"""CloudFormation templates, YAML and JSON, into the normalized model: the walk over one
template.

A template is recognised by its content: a `Resources` mapping whose entries have
`Type: AWS::...`, or `AWSTemplateFormatVersion`. A resource map without the `Resources` key (a
copilot override fragment) counts too. Other YAML (docker-compose, Kubernetes, workflows) is
ignored silently, and so is its syntax unless the file looks like a template.

The walk: each resource's `Condition` is decided with the parameters' defaults (`conditions.py`),
every value is evaluated (`intrinsics.py`: intrinsic functions, `strings.py`: partly known
strings, `references.py`: what names what), then each resource is built into the model
(`resources.py`, `access.py`: BUILDERS), and last the resources that change another one
(ATTACHMENTS: a policy joins its roles, a group rule its group).

A resource whose `Condition` is false with the defaults is absent: not built, and a `Ref` to it
names nothing. One whose condition the defaults do not decide is "maybe present": built as
written and marked `conditional`, so a rule still reports a bad value it sets (if it is created,
the value is deployed) and other resources still see what it adds (a policy it attaches, a group
rule, a scaling policy), but the rules that report a missing setting stay silent on it (a
conditional service is `partial`; FG103, FG104, FG109, FG401, FG501, FG506, FG603, FG703 skip
what it lacks).
"""

from __future__ import annotations

from fglint.frontends.cloudformation import access
from fglint.frontends.cloudformation import resources as build
from fglint.frontends.cloudformation.intrinsics import Evaluator
from fglint.frontends.cloudformation.resources import Build, Builder
from fglint.model import (
    Cluster,
    Project,
    Service,
    SourceFile,
    Subnet,
    duplicate_key,
    parse_problem,
)
from fglint.nodes import Node, ObjectNode, as_str, unknown_templates

BUILDERS: dict[str, Build] = {
    "AWS::ECS::TaskDefinition": build.task_definition,
    "AWS::ECS::Service": build.camel_case(Service, "ServiceName"),
    "AWS::ECS::Cluster": build.camel_case(Cluster, "ClusterName"),
    "AWS::ElasticLoadBalancingV2::TargetGroup": build.target_group,
    "AWS::ApplicationAutoScaling::ScalableTarget": build.scalable_target,
    "AWS::ApplicationAutoScaling::ScalingPolicy": build.scaling_policy,
    "AWS::IAM::Role": access.role,
    "AWS::EC2::SecurityGroup": access.security_group,
    "AWS::EC2::Subnet": build.as_written(Subnet, ""),
    "AWS::Events::Rule": build.event_rule,
    "AWS::Scheduler::Schedule": build.schedule,
    "AWS::StepFunctions::StateMachine": build.state_machine,
    "AWS::ECS::ExpressGatewayService": build.express_service,
}
# Resources that change another one of the template: built once every resource exists.
ATTACHMENTS: dict[str, Build] = {
    "AWS::ECS::ClusterCapacityProviderAssociations": build.capacity_providers,
    "AWS::IAM::Policy": access.policy,
    "AWS::IAM::ManagedPolicy": access.policy,
    "AWS::EC2::SecurityGroupIngress": access.security_group_rule,
    "AWS::EC2::SecurityGroupEgress": access.security_group_rule,
}


def load(file: SourceFile, project: Project) -> bool:
    """A YAML template, or a serverless.yml's embedded one (`resources:`). False when the file
    holds no template; a syntax error is FG001 (the loader sends only files that look like one)."""
    from fglint.frontends.cloudformation.yaml_parse import YamlSyntaxError, parse_yaml

    try:
        limits = project.limits
        roots, duplicates = parse_yaml(file.text, file.path, limits.depth, limits.yaml_aliases)
    except YamlSyntaxError as error:
        file.kind = "cloudformation"
        project.problems.append(parse_problem(error.span, error.message, "YAML"))
        return True
    found = [load_template(embedded(unknown_templates(root)), file, project) for root in roots]
    if not any(found):
        return False
    project.problems += [duplicate_key(*duplicate) for duplicate in duplicates]
    return True


def embedded(root: Node) -> Node:
    """The template a serverless.yml holds under `resources:`; any other root as it is."""
    if isinstance(root, ObjectNode) and "service" in root and "provider" in root:
        resources = root.obj("resources")
        if resources is not None:
            return resources
    return root


def load_template(root: Node, file: SourceFile, project: Project) -> bool:
    """Map a parsed template (YAML or JSON) into the model. False when it is not a template."""
    resources = template_resources(root)
    if resources is None:
        return False
    file.kind = "cloudformation"
    walk_template(file, project, resources, root)
    file.constructs = cdk_paths(resources)
    return True


def cdk_paths(resources: ObjectNode) -> tuple[tuple[int, int, str], ...]:
    """The lines of each resource whose `Metadata` names the CDK construct that made it."""
    found = []
    for logical_id, entry in resources.fields.items():
        metadata = entry.obj("Metadata") if isinstance(entry, ObjectNode) else None
        path = metadata.str("aws:cdk:path") if metadata else None
        if path:
            found.append((resources.key_span(logical_id).line, entry.span.end_line, path))
    return tuple(found)


def _aws_typed(node: Node) -> bool:
    return isinstance(node, ObjectNode) and (node.str("Type") or "").startswith("AWS::")


def template_resources(root: Node) -> ObjectNode | None:
    """The template's resource map; None when `root` is not a CloudFormation template."""
    if not isinstance(root, ObjectNode):
        return None
    resources = root.get("Resources")
    if isinstance(resources, ObjectNode):
        typed = any(map(_aws_typed, resources.fields.values()))
        return resources if typed or "AWSTemplateFormatVersion" in root else None
    if "AWSTemplateFormatVersion" in root:
        return ObjectNode(root.span)
    if root.fields and all(map(_aws_typed, root.fields.values())):
        return root  # a fragment: the resource map alone
    return None


def walk_template(file: SourceFile, project: Project, resources: ObjectNode, top: Node) -> None:
    """Decide, evaluate and build the template's resources, then attach what changes others."""
    evaluator = Evaluator(file, resources, top)
    maybe = present(evaluator)
    evaluated = {}
    for logical_id, entry in evaluator.entries.items():
        converted = evaluator.value(entry)
        if isinstance(converted, ObjectNode):  # not a whole-resource `Fn::Transform`
            evaluated[logical_id] = converted
    builder = Builder(evaluator, project, resources, evaluated, maybe)
    for logical_id, entry in evaluated.items():
        make = BUILDERS.get(evaluator.types[logical_id])
        properties = entry.get("Properties") or ObjectNode(entry.span)
        if make is not None and isinstance(properties, ObjectNode):
            make(builder, logical_id, properties)
    for logical_id, entry in evaluated.items():
        attach = ATTACHMENTS.get(evaluator.types[logical_id])
        given = entry.get("Properties")
        if attach is not None and isinstance(given, ObjectNode):
            attach(builder, logical_id, given)


def present(evaluator: Evaluator) -> set[str]:
    """Takes out the resources whose `Condition` is false with the defaults (nothing refers to
    them); returns those whose condition the defaults do not decide."""
    maybe: set[str] = set()
    for logical_id, entry in list(evaluator.entries.items()):
        condition = entry.get("Condition")
        decided: bool | None = True
        if condition is not None:
            decided = evaluator.condition(as_str(condition))
        if decided is False:
            del evaluator.entries[logical_id]
        elif decided is None:
            maybe.add(logical_id)
    return maybe
