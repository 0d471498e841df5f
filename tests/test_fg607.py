"""FG607 on the model: a task linked to its execution role, roles and policies built directly
(the Terraform and CloudFormation front-ends build the same objects)."""

from __future__ import annotations

import json

import pytest
from fglint.frontends.jsonpos import parse_json
from fglint.linker import link
from fglint.model import IamPolicy, IamRole, Project, SourceFile, TaskDefinition
from fglint.nodes import Node, ObjectNode, UnknownNode
from fglint.rule import Context, Violation
from fglint.rules import fg607_execution_role_cannot_read_secret as fg607

SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/db-AbCdEf"
MANAGED = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
ROLE = "aws_iam_role.execution"


def node(data: object, path: str = "main.tf") -> ObjectNode:
    root, _ = parse_json(json.dumps(data, indent=1), path)
    assert isinstance(root, ObjectNode)
    return root


def policy(*statements: dict[str, object], roles: tuple[str, ...] = ()) -> IamPolicy:
    file = SourceFile("main.tf", "main.tf", "")
    found = IamPolicy(node({"Version": "2012-10-17", "Statement": list(statements)}), file)
    found.roles.extend(roles)
    return found


def allow(action: str, resource: object) -> dict[str, object]:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def run(
    value_from: str,
    policies: list[IamPolicy],
    managed: list[Node] | None = None,
    extra: list[IamPolicy] | None = None,
    role_ref: str | None = ROLE,
) -> list[Violation]:
    file = SourceFile("main.tf", "main.tf", "")
    task_node = node(
        {
            "family": "checkout-api",
            "executionRoleArn": "placeholder",
            "containerDefinitions": [
                {
                    "name": "app",
                    "image": "checkout:1",
                    "secrets": [{"name": "DB_PASSWORD", "valueFrom": value_from}],
                }
            ],
        }
    )
    span = task_node.fields["executionRoleArn"].span
    task_node.fields["executionRoleArn"] = UnknownNode(span, f"{ROLE}.arn", ref=role_ref)
    role = IamRole(node({"RoleName": "execution"}), file, name="execution", address=ROLE)
    role.policies = policies
    role.managed_policy_arns = managed or []
    project = Project()
    project.add(TaskDefinition.build(task_node, file))
    project.add(role)
    for item in extra or []:
        project.add(item)
    link(project)  # rules read a finished graph
    return list(fg607.check(Context(project)))


def arn(text: str) -> Node:
    return node({"arn": text}).fields["arn"]


def test_managed_execution_policy_alone_cannot_read_the_secret() -> None:
    [finding] = run(SECRET, [], managed=[arn(MANAGED)])
    assert "secretsmanager:GetSecretValue" in finding.message
    assert SECRET in finding.message
    assert isinstance(finding.where, UnknownNode)  # at the task's executionRoleArn
    assert [r.message for r in finding.related] == [
        "the secret is referenced here",
        "execution role `execution` is defined here",
    ]


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/*",
        "arn:aws:secretsmanager:*:*:secret:prod/*",
        SECRET,
        "*",
        ["arn:aws:s3:::bucket/*", "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*"],
    ],
)
def test_a_statement_that_allows_the_secret_silences_it(resource: object) -> None:
    assert run(SECRET, [policy(allow("secretsmanager:GetSecretValue", resource))]) == []


def test_wrong_prefix_action_or_effect_is_a_finding() -> None:
    other = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/*"
    assert len(run(SECRET, [policy(allow("secretsmanager:GetSecretValue", other))])) == 1
    assert len(run(SECRET, [policy(allow("secretsmanager:DescribeSecret", "*"))])) == 1
    deny = {"Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*"}
    assert len(run(SECRET, [policy(deny)])) == 1


def test_wildcard_actions_and_not_action_count() -> None:
    assert run(SECRET, [policy(allow("secretsmanager:Get*", "*"))]) == []
    assert run(SECRET, [policy(allow("*", "*"))]) == []
    not_action = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    assert run(SECRET, [policy(not_action)]) == []
    excluding = {"Effect": "Allow", "NotAction": "secretsmanager:*", "Resource": "*"}
    assert len(run(SECRET, [policy(excluding)])) == 1


def test_partial_arn_matches_the_suffixed_resource() -> None:
    partial = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/db"
    full = partial + "-AbCdEf"
    assert run(partial, [policy(allow("secretsmanager:GetSecretValue", full))]) == []
    assert run(partial, [policy(allow("secretsmanager:GetSecretValue", partial + "-??????"))]) == []


def test_json_key_suffix_is_not_part_of_the_resource() -> None:
    value_from = SECRET + ":password::"
    assert run(value_from, [policy(allow("secretsmanager:GetSecretValue", SECRET))]) == []


def test_ssm_parameter_by_name_and_by_arn() -> None:
    prefix = "arn:aws:ssm:us-east-1:111122223333:parameter/prod/"
    good = [policy(allow("ssm:GetParameters", prefix + "*"))]
    assert run("/prod/db-password", good) == []
    assert run(prefix + "db-password", good) == []
    [finding] = run("/staging/db-password", good)
    assert "ssm:GetParameters" in finding.message
    assert len(run("/prod/db-password", [policy(allow("ssm:GetParameter", prefix + "*"))])) == 1


def test_policy_attached_by_reference_counts() -> None:
    attached = policy(allow("secretsmanager:GetSecretValue", "*"), roles=(ROLE,))
    assert run(SECRET, [], extra=[attached]) == []


@pytest.mark.parametrize(
    "unknown",
    [
        "customer managed policy by ARN",
        "unknown resource",
        "unknown statement list",
        "task role is not a reference",
    ],
)
def test_silent_when_something_is_unknown(unknown: str) -> None:
    if unknown == "customer managed policy by ARN":
        found = run(SECRET, [], managed=[arn("arn:aws:iam::111122223333:policy/exec-secrets")])
    elif unknown == "unknown resource":
        statement = policy(allow("secretsmanager:GetSecretValue", "placeholder"))
        inner = statement.node.objects("Statement")[0]
        inner.fields["Resource"] = UnknownNode(inner.span, "aws_secretsmanager_secret.db.arn")
        found = run(SECRET, [statement])
    elif unknown == "unknown statement list":
        statement = policy()
        statement.node.fields["Statement"] = UnknownNode(statement.span, "data.x.json")
        found = run(SECRET, [statement])
    else:
        found = run(SECRET, [], role_ref=None)
    assert found == []


def test_substituted_arns_are_read_with_wildcards() -> None:
    statement = policy(allow("secretsmanager:GetSecretValue", "placeholder"))
    inner = statement.node.objects("Statement")[0]
    text = (
        "!Sub arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/*"
    )
    inner.fields["Resource"] = UnknownNode(inner.span, text)
    assert run(SECRET, [statement]) == []
    other = text.replace("prod/*", "payments/*")
    inner.fields["Resource"] = UnknownNode(inner.span, other)
    assert len(run(SECRET, [statement])) == 1
    partition = UnknownNode(inner.span, "!Sub 'arn:${AWS::Partition}" + MANAGED[7:] + "'")
    assert len(run(SECRET, [], managed=[partition])) == 1
