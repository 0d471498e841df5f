"""IAM policies: statements, action and resource wildcard matching, and "does this role allow it?".

Front-ends (JSON policy documents, Terraform, CloudFormation) produce `IamPolicy` objects whose
node is a policy document in IAM's own shape (`Version`, `Statement` with `Effect`, `Action`,
`NotAction`, `Resource`, `NotResource`, `Principal`, `Condition`). Everything here is tri-state
where it matters: a question about a policy with unknown parts answers None, and rules stay silent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from fglint.aws.data import load
from fglint.model import IamPolicy, IamRole, Project, SourceFile
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, UnknownNode, as_str

# Stand-ins, inside a resource ARN we build, for what we do not know: ANY is any string (a
# `${...}` substitution), SEGMENT any string without a colon (a region, an account id), ANY_CHAR
# one character (the random suffix of a Secrets Manager ARN).
ANY = object()
SEGMENT = object()
ANY_CHAR = object()
Subject = Sequence[object]  # characters (str of length 1), ANY, SEGMENT or ANY_CHAR
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_PLACEHOLDER = "\x00"

_MANAGED = re.compile(r"^arn:[^:]*:iam::aws:policy/(?P<name>[\w+=,.@/-]+)$")
_JSON_SUB = re.compile(r'\{\s*"Fn::Sub"\s*:\s*(".*")\s*\}', re.DOTALL)


@dataclass(frozen=True)
class Statement:
    node: ObjectNode
    policy: IamPolicy | None = None

    @property
    def effect(self) -> str | None:
        return self.node.str("Effect")

    @property
    def allow(self) -> bool | None:
        effect = self.effect
        return None if effect is None else effect == "Allow"

    @property
    def resource_based(self) -> bool:
        """A statement of a resource policy or trust policy (it names a principal)."""
        return "Principal" in self.node or "NotPrincipal" in self.node

    @property
    def conditional(self) -> bool:
        return "Condition" in self.node

    def values(self, key: str) -> list[Node]:
        """The string-or-list element `key` as nodes ([] when absent; an unknown element is one
        unknown node)."""
        return element_values(self.node.get(key))


def element_values(node: Node | None) -> list[Node]:
    if node is None:
        return []
    if isinstance(node, ListNode):
        return list(node.items)
    return [node]


def statements(policy: IamPolicy) -> list[Statement] | None:
    """The policy's statements; None when the statement list itself is unknown."""
    node = policy.node.get("Statement")
    if isinstance(node, ObjectNode):
        return [Statement(node, policy)]
    if isinstance(node, ListNode):
        items = [item for item in node.items if isinstance(item, ObjectNode)]
        if len(items) != len(node.items):
            return None
        return [Statement(item, policy) for item in items]
    return None


def written_statements(policy: IamPolicy) -> list[Statement]:
    """The statements written out, beside any the document adds from expressions (a Terraform
    `dynamic "statement"`): enough to find a statement that allows too much, never to conclude
    that no statement allows something."""
    node = policy.node.get("Statement")
    if isinstance(node, ObjectNode):
        return [Statement(node, policy)]
    items = node.items if isinstance(node, ListNode) else []
    return [Statement(item, policy) for item in items if isinstance(item, ObjectNode)]


def all_policies(project: Project) -> list[IamPolicy]:
    """Every policy loaded, standalone or held inline by a role, each once."""
    seen: dict[int, IamPolicy] = {}
    for policy in project.of(IamPolicy):
        seen.setdefault(id(policy), policy)
    for role in project.of(IamRole):
        for policy in role.policies:
            seen.setdefault(id(policy), policy)
    return list(seen.values())


def ecs_policies(project: Project) -> list[IamPolicy]:
    """The policies an ECS linter answers for: all but those held only by roles that only AWS
    services outside ECS assume (a CodeBuild or Lambda role is another linter's business)."""
    ours: set[int] = set()
    foreign: set[int] = set()
    for role in project.of(IamRole):
        holder = foreign if _assumed_by_others(role) else ours
        holder.update(id(policy) for policy in [*role.policies, *role.attached])
    return [p for p in all_policies(project) if id(p) in ours or id(p) not in foreign]


# The services that assume roles for ECS: tasks, the ECS service scheduler, service scaling,
# and scheduled tasks (EventBridge rules and EventBridge Scheduler). EC2 container instance
# roles are left out: fglint is about Fargate.
ECS_SERVICES = frozenset(
    f"{name}.amazonaws.com"
    for name in ("ecs-tasks", "ecs", "application-autoscaling", "events", "scheduler")
)


def _assumed_by_others(role: IamRole) -> bool:
    """True when the trust policy is known and names only AWS services outside ECS's."""
    trust = role.node.get("AssumeRolePolicyDocument")
    found = element_values(trust.get("Statement")) if isinstance(trust, ObjectNode) else []
    services: list[str] = []
    for statement in found:
        principal = statement.get("Principal") if isinstance(statement, ObjectNode) else None
        if not isinstance(principal, ObjectNode) or list(principal.keys) != ["Service"]:
            return False
        names = [as_str(node) for node in element_values(principal.get("Service"))]
        if None in names:
            return False
        services += [name for name in names if name]
    return bool(services) and not ECS_SERVICES.intersection(services)


def _glob(pattern: str) -> re.Pattern[str]:
    parts = (".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts), re.DOTALL)


@cache
def _action_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(_glob(pattern.lower()).pattern, re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: `*` and `?` wildcards, case-insensitive (`s3:Get*` ~ `s3:GetObject`)."""
    return bool(_action_regex(pattern).fullmatch(action.lower()))


def is_service_wildcard(action: str) -> bool:
    """`*` or `service:*`: every action, or every action of one service."""
    return action == "*" or bool(re.fullmatch(r"[A-Za-z0-9-]+:\*", action))


def could_match(pattern: str, subject: Subject) -> bool:
    """Can the resource pattern (`*`/`?` wildcards, case-sensitive) match some string that
    `subject` stands for? Subject items are characters, ANY, SEGMENT or ANY_CHAR."""
    n, m = len(pattern), len(subject)

    @cache
    def step(i: int, j: int) -> bool:
        if i == n:
            return all(item is ANY or item is SEGMENT for item in subject[j:])
        char = pattern[i]
        if j == m:
            return char == "*" and step(i + 1, j)
        item = subject[j]
        if char == "*":
            return step(i + 1, j) or step(i, j + 1)
        if item is ANY or item is SEGMENT:  # it ends here, or produces this pattern character
            return step(i, j + 1) or ((item is ANY or char != ":") and step(i + 1, j))
        if char == "?" or item is ANY_CHAR or item == char:
            return step(i + 1, j + 1)
        return False

    return step(0, 0)


def resource_may_match(pattern: str, subject: Subject) -> bool:
    """Like could_match, with IAM policy variables (`${aws:username}`) taken as wildcards."""
    return could_match(_VARIABLE.sub("*", pattern), subject)


def template_text(node: Node | None) -> str | None:
    """A string that may hold `${...}` substitutions: a known string, or the source text of an
    unknown one that is a substituted ARN (`!Sub arn:aws:ssm:${AWS::Region}:...`, a Terraform
    interpolation). None for anything else (a `!Ref`, a resource attribute)."""
    text = as_str(node)
    if text is not None:
        return text
    if not isinstance(node, UnknownNode):
        return None
    text = node.text.strip()
    for prefix in ("!Sub", "Fn::Sub:"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    else:
        if match := _JSON_SUB.fullmatch(text):
            text = match.group(1)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text if text.startswith("arn:") and not re.search(r"\s", text) else None


def literal(text: str) -> list[object]:
    """Subject items for text whose placeholders (from `${...}`) stand for any string."""
    return [ANY if char == _PLACEHOLDER else char for char in text]


@dataclass(frozen=True)
class SecretTarget:
    """What the execution role must be allowed to do for one `secrets[].valueFrom`."""

    action: str  # secretsmanager:GetSecretValue or ssm:GetParameters
    subjects: tuple[tuple[object, ...], ...]  # the resource ARNs it may stand for
    display: str

    def matched_by(self, pattern: str) -> bool:
        return any(resource_may_match(pattern, subject) for subject in self.subjects)


_SECRET_ARN = re.compile(r"^(arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:[^:]+)(:.*)?$")
_SSM_ARN = re.compile(r"^arn:[^:]+:ssm:[^:]*:[^:]*:parameter/.+$")


def secret_target(value_from: str) -> SecretTarget | None:
    """The action and resource a `valueFrom` needs; None when it is neither form. `${...}`
    substitutions in it stand for any string."""
    text = _VARIABLE.sub(_PLACEHOLDER, value_from)
    if match := _SECRET_ARN.match(text):
        arn = match.group(1)
        # A partial ARN (no random suffix) stands for the full one: `name-` + six characters.
        suffixed = (*literal(arn + "-"), *([ANY_CHAR] * 6))
        return SecretTarget(
            "secretsmanager:GetSecretValue", (tuple(literal(arn)), suffixed), value_from
        )
    if _SSM_ARN.match(text):
        return SecretTarget("ssm:GetParameters", (tuple(literal(text)),), value_from)
    if text.startswith("arn:") or not text or _PLACEHOLDER in text:
        return None
    name = text.lstrip("/")
    subject = ("a", "r", "n", ":", SEGMENT, *":ssm:", SEGMENT, ":", SEGMENT, *":parameter/")
    return SecretTarget("ssm:GetParameters", (subject + tuple(literal(name)),), value_from)


def _strings(nodes: list[Node], templated: bool = False) -> list[str] | None:
    """The nodes' strings; None when one is unknown. With `templated`, a substituted ARN counts,
    its `${...}` parts becoming `*` (broader, so "no statement allows it" stays certain)."""
    texts = []
    for node in nodes:
        text = template_text(node) if templated else as_str(node)
        if text is None:
            return None
        texts.append(_VARIABLE.sub("*", text))
    return texts


def _matches_any(patterns: list[str] | None, test: Callable[[str], bool]) -> bool | None:
    return None if patterns is None else any(test(pattern) for pattern in patterns)


def statement_allows(statement: Statement, target: SecretTarget) -> bool | None:
    """Does this statement allow the target's action on its resource? None when it cannot be
    known. A known part that rules the target out is enough for a False."""
    allow = statement.allow
    if not allow:
        return allow
    action = target.action
    if "NotAction" in statement.node:
        excluded = _matches_any(
            _strings(statement.values("NotAction")), lambda p: action_matches(p, action)
        )
        action_ok = None if excluded is None else not excluded
    else:
        action_ok = _matches_any(
            _strings(statement.values("Action")), lambda p: action_matches(p, action)
        )
    if "NotResource" in statement.node:
        # Allowed unless the target is surely excluded: only `*` excludes it for certain.
        everything = _matches_any(
            _strings(statement.values("NotResource"), templated=True), lambda p: p == "*"
        )
        resource_ok = None if everything is None else not everything
    else:
        resource_ok = _matches_any(
            _strings(statement.values("Resource"), templated=True), target.matched_by
        )
    if action_ok is False or resource_ok is False:
        return False
    return None if action_ok is None or resource_ok is None else True


def policies_allow(policies: Iterable[IamPolicy], target: SecretTarget) -> bool | None:
    """True when some statement allows the target; None when any policy has unknown parts."""
    unknown = False
    for policy in policies:
        found = statements(policy)
        if found is None:
            unknown = True
            continue
        for statement in found:
            verdict = statement_allows(statement, target)
            if verdict:
                return True
            if verdict is None:
                unknown = True
    return None if unknown else False


def managed_policy(node: Node, file: SourceFile) -> IamPolicy | None:
    """An AWS managed policy whose document fglint knows, from its ARN (literal or templated
    only in the partition: `arn:${AWS::Partition}:iam::aws:policy/...`)."""
    text = template_text(node)
    match = _MANAGED.match(_VARIABLE.sub("*", text or ""))
    if not match:
        return None
    document = load("iam_aws_managed_policies")["policies"].get(match.group("name"))
    if document is None:
        return None
    located = _located(document, node)
    assert isinstance(located, ObjectNode)
    return IamPolicy(located, file, name=match.group("name"))


def _located(value: object, node: Node) -> Node:
    """Plain JSON data as nodes, every one placed at `node` (the ARN that names the policy)."""
    if isinstance(value, dict):
        fields = {key: _located(item, node) for key, item in value.items()}
        return ObjectNode(node.span, fields, {key: node.span for key in fields})
    if isinstance(value, list):
        return ListNode(node.span, [_located(item, node) for item in value])
    return ScalarNode(node.span, value)  # type: ignore[arg-type]


def role_policies(role: IamRole, project: Project) -> list[IamPolicy] | None:
    """Every policy of the role: inline, attached by reference, and known AWS managed ones.
    None when one of them cannot be known (a customer managed policy by ARN, an unknown list)."""
    policies = [*role.policies, *role.attached]
    for node in role.managed_policy_arns:
        policy = project.resolve(node, IamPolicy) or managed_policy(node, role.file)
        if policy is None:
            return None
        policies.append(policy)
    unique = {id(p): p for p in policies}
    return list(unique.values())
