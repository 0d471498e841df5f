"""linter/iam.py: action and resource wildcard matching, substituted ARNs, secret targets, and
the bare IAM policy document recogniser of the JSON front-end."""

from __future__ import annotations

import pytest
from fglint.aws.iam import (
    ANY,
    SEGMENT,
    action_matches,
    could_match,
    is_service_wildcard,
    secret_target,
    statements,
    template_text,
)
from fglint.load import load
from fglint.model import IamPolicy
from fglint.nodes import Span, UnknownNode
from helpers import FIXTURES


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("s3:GetObject", "s3:getobject", True),
        ("s3:Get*", "s3:GetObject", True),
        ("s3:Get*", "s3:PutObject", False),
        ("*", "kms:Decrypt", True),
        ("kms:?ecrypt", "kms:Decrypt", True),
        ("secretsmanager:GetSecretValue", "secretsmanager:GetSecretValues", False),
    ],
)
def test_action_matches(pattern: str, action: str, expected: bool) -> None:
    assert action_matches(pattern, action) is expected


def test_service_wildcards() -> None:
    assert is_service_wildcard("*") and is_service_wildcard("s3:*")
    assert not is_service_wildcard("s3:Get*") and not is_service_wildcard("s3:*Object")


def test_could_match_with_unknown_parts() -> None:
    assert could_match("arn:aws:s3:::bucket/*", list("arn:aws:s3:::bucket/key"))
    assert not could_match("arn:aws:s3:::bucket/*", list("arn:aws:s3:::other/key"))
    assert not could_match("arn:aws:s3:::Bucket/*", list("arn:aws:s3:::bucket/key"))
    region = [*"arn:aws:ssm:", SEGMENT, *":1:parameter/x"]
    assert could_match("arn:aws:ssm:us-east-1:1:parameter/x", region)
    assert not could_match("arn:aws:ssm:us-east-1:2:parameter/x", region)
    # a segment holds no colon; a substitution may hold anything
    assert not could_match("arn:aws:ssm:a:b:1:parameter/x", region)
    assert could_match("arn:aws:ssm:a:b:1:parameter/x", [*"arn:aws:ssm:", ANY, *":1:parameter/x"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!Sub arn:${AWS::Partition}:s3:::b/*", "arn:${AWS::Partition}:s3:::b/*"),
        ("!Sub 'arn:aws:s3:::${Bucket}/*'", "arn:aws:s3:::${Bucket}/*"),
        ('Fn::Sub: "arn:aws:s3:::b"', "arn:aws:s3:::b"),
        ('{"Fn::Sub": "arn:aws:s3:::b/${Key}"}', "arn:aws:s3:::b/${Key}"),
        ('"arn:aws:ssm:${var.region}:1:parameter/x"', "arn:aws:ssm:${var.region}:1:parameter/x"),
        ("!GetAtt Secret.Arn", None),
        ("!Sub ${SecretArn}", None),
        ("aws_secretsmanager_secret.db.arn", None),
    ],
)
def test_template_text(text: str, expected: str | None) -> None:
    assert template_text(UnknownNode(Span("t", 1, 1, 1, 1), text)) == expected


def test_secret_targets() -> None:
    arn = "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf"
    target = secret_target(arn + ":username::")
    assert target is not None and target.action == "secretsmanager:GetSecretValue"
    assert target.matched_by(arn) and target.matched_by("arn:aws:secretsmanager:*:*:secret:db-*")
    assert not target.matched_by(arn + ":username::")
    ssm = secret_target("/prod/db")
    assert ssm is not None and ssm.action == "ssm:GetParameters"
    assert ssm.matched_by("arn:aws:ssm:eu-west-1:1:parameter/prod/*")
    assert not ssm.matched_by("arn:aws:ssm:eu-west-1:1:parameter/prod")
    assert secret_target("arn:aws:s3:::bucket/key") is None


def test_bare_policy_document_is_an_iam_policy() -> None:
    project = load([str(FIXTURES / "FG606" / "bad_star_resource.json")])
    [policy] = project.of(IamPolicy)
    assert policy.name == "bad_star_resource"
    found = statements(policy)
    assert found is not None and len(found) == 2
    assert found[0].allow is True and not found[0].resource_based
