"""The normalized model: what every front-end loads, and what every rule reads.

Each domain object wraps a located `ObjectNode` in one canonical shape, whatever the source
format: the AWS API's own input shape (ECS `RegisterTaskDefinition` / `CreateService` in camelCase,
Application Auto Scaling and ELBv2 in PascalCase). Front-ends translate Terraform's snake_case and
CloudFormation's PascalCase into it, so a rule is written once and works on every format.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, TypeVar

from fglint.aws.facts import Severity
from fglint.nodes import (
    DEPTH,
    EVALUATION_DEPTH,
    YAML_ALIASES,
    ListNode,
    Node,
    ObjectNode,
    Span,
    UnknownNode,
    as_str,
)

R = TypeVar("R", bound="Resource")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding a front-end makes while loading a file (a syntax error, a duplicate key)."""

    code: str
    span: Span
    message: str
    related: tuple[tuple[Span, str], ...] = ()
    severity: Severity | None = None  # overrides the rule's default


PARSE_ERROR = "FG001"
DUPLICATE_KEY = "FG004"


def parse_problem(span: Span, message: str, language: str = "") -> Problem:
    """FG001: a file that cannot be read or parsed. With `language` ("JSON", "YAML"), the
    parser's message reads `Invalid JSON: <message>`."""
    return Problem(PARSE_ERROR, span, f"Invalid {language}: {message}" if language else message)


def duplicate_key(
    key: str, span: Span, first: Span, outcome: str = "this value replaces the earlier one"
) -> Problem:
    """FG004: `key` written again at `span` in a mapping that has it at `first`."""
    message = f"Duplicate key `{key}`: {outcome}"
    return Problem(DUPLICATE_KEY, span, message, ((first, "first defined here"),))


@dataclass(frozen=True)
class Limits:
    """What one input may cost; each one is a setting (`[limits]`), and input beyond one is an
    FG001 finding that names the setting."""

    file_size: int = 10 * 1024 * 1024  # bytes
    depth: int = DEPTH  # nesting of objects, lists, blocks and expressions, in every format
    yaml_aliases: int = YAML_ALIASES  # values that YAML aliases may add to a document when expanded
    seconds: float = 20.0  # loading one file (parse and evaluate); 0 turns the limit off
    # Terraform values computed from values (a local from a local, an expression inside an
    # expression), one level each: deeper is unknown, with a warning at the place
    evaluation_depth: int = EVALUATION_DEPTH


@dataclass(eq=False)
class SourceFile:
    path: str  # as displayed: relative to the working directory when under it, forward slashes
    abspath: str
    text: str
    kind: str = ""  # "json", "terraform", "cloudformation", "dockerfile"
    report: bool = True  # False for files loaded only for context (a module's other .tf files)
    included_from: Span | None = None  # the `file()` call that reads this file, if any
    failed: bool = False  # True when it could not be read (the FG001 finding says why)
    # CDK output: (first line, last line, `aws:cdk:path`) of each resource that names its construct
    constructs: tuple[tuple[int, int, str], ...] = ()
    _packed: bytes | None = field(default=None, init=False, repr=False)

    def pack(self) -> None:
        """Hold the text compressed until it is next asked for (once a file is loaded, its text
        is read again only for comments, source lines and fixes), so that a run over many files
        does not hold all their text at once."""
        text = self.__dict__.pop("_text", None)
        if text is not None and self._packed is None:
            self._packed = zlib.compress(text.encode("utf-8", "surrogatepass"), 1)
        self.__dict__.pop("lines", None)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with its text compressed and without its lines."""
        state = dict(self.__dict__)
        text = state.pop("_text", None)
        state.pop("lines", None)
        if text is not None and state.get("_packed") is None:
            state["_packed"] = zlib.compress(text.encode("utf-8", "surrogatepass"), 1)
        return state

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines, split where the parsers and the SARIF fingerprint count a line
        break (`\\r\\n`, `\\r`, `\\n`); not at a form feed or U+2028 as `str.splitlines` does."""
        return LINE_BREAK.split(self.text)

    def line(self, number: int) -> str:
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""


def _text(file: SourceFile) -> str:
    text: str | None = file.__dict__.get("_text")
    if text is None:
        packed = file._packed or b""
        text = zlib.decompress(packed).decode("utf-8", "surrogatepass") if packed else ""
        file.__dict__["_text"] = text  # kept packed too: packing again costs nothing
    return text


def _set_text(file: SourceFile, text: str) -> None:
    file.__dict__["_text"] = text
    file._packed = None
    file.__dict__.pop("lines", None)


SourceFile.text = property(_text, _set_text)  # type: ignore[assignment]


@dataclass(eq=False)
class Resource:
    """One configured thing: a task definition, a service, a target group, a policy..."""

    kind: ClassVar[str] = "resource"
    node: ObjectNode
    file: SourceFile
    name: str = ""  # a display name: family, service name, Terraform address
    address: str = ""  # what references resolve to: Terraform address, CloudFormation logical id
    shape: str = ""  # the AWS API shape the node follows as written, when the source is API JSON
    header: Span | None = None  # what names it: a Terraform block header, a logical id key
    # True when the resource exists only under a condition fglint cannot decide (a CloudFormation
    # `Condition` on a parameter without default): rules report what it sets, not what it lacks.
    conditional: bool = False

    @property
    def span(self) -> Span:
        return self.node.span

    @property
    def anchor(self) -> Span:
        """One line that names the resource, where a finding about something missing points:
        the header a front-end set, else the object's first key (JSON: `family`), else its
        opening brace."""
        return self.header or opening(self.node)


def opening(node: ObjectNode) -> Span:
    """An object's first key, or its opening brace when it has none."""
    first = next(iter(node.keys.values()), None)
    if first is not None:
        return first
    at = node.span
    return Span(at.path, at.line, at.col, at.line, at.col + 1)


def header(start: Span, line: str) -> Span:
    """A block header from `start` to the end of its line, without the opening brace:
    `resource "aws_ecs_cluster" "legacy"`."""
    end = len(line.split("{", 1)[0].rstrip()) + 1 if start.col <= len(line) else start.end_col
    return Span(start.path, start.line, start.col, start.line, max(end, start.end_col))


def one_line(span: Span, file: SourceFile | None) -> Span:
    """`span` cut at the end of its first line (of `file`, the file it is in)."""
    if span.end_line == span.line:
        return span
    end = len(file.line(span.line).rstrip()) + 1 if file is not None else span.col + 1
    return Span(span.path, span.line, span.col, span.line, max(end, span.col + 1))


def _inside(inner: Span, outer: Span) -> bool:
    return (
        inner.path == outer.path
        and (outer.line, outer.col) <= (inner.line, inner.col)
        and (
            inner.end_line,
            inner.end_col,
        )
        <= (outer.end_line, outer.end_col)
    )


def _short_intrinsic(text: str) -> str:
    """`{ "Ref": "AppName" }` (JSON CloudFormation) as `!Ref AppName`; other text as it is."""
    match = re.fullmatch(r'\{\s*"(?:Fn::)?(\w+)"\s*:\s*"([^"]*)"\s*\}', text)
    return f"!{match.group(1)} {match.group(2)}" if match else text


@dataclass(eq=False)
class Container:
    node: ObjectNode
    task: TaskDefinition

    @property
    def name(self) -> str:
        """The name as written, the expression that names it (`!Ref AppName`), else its place:
        `AWS::ECS::TaskDefinition TaskDef #0`."""
        node = self.node.get("name")
        text = as_str(node)
        if text:
            return text
        if isinstance(node, UnknownNode) and node.text:
            return _short_intrinsic(node.text)
        return f"{self.task.label} #{self.index}"

    @property
    def index(self) -> int:
        return next((i for i, c in enumerate(self.task.containers) if c is self), 0)

    @property
    def anchor(self) -> Span:
        """Where a finding about something the container lacks points: its name, else the
        object's first key or opening brace."""
        node = self.node.get("name")
        for span in (node.span, *(place for place, _ in node.via)) if node is not None else ():
            if _inside(span, self.node.span):
                return span  # also for a name passed in: the expression that passed it
        return self.node.keys.get("name") or opening(self.node)  # a name from a parameter

    @property
    def essential(self) -> bool | None:
        """`essential` defaults to true when omitted; None when unknown."""
        value = self.node.get("essential")
        if value is None:
            return True
        return self.node.bool("essential")

    @property
    def runs_to_completion(self) -> bool:
        """True when another container of the task waits for this one to exit (`dependsOn`
        with condition `COMPLETE` or `SUCCESS`): an init or setup step, not a server."""
        name = self.node.str("name")
        return name is not None and any(
            rule.str("containerName") == name and rule.str("condition") in ("COMPLETE", "SUCCESS")
            for other in self.task.containers
            if other is not self
            for rule in other.node.objects("dependsOn")
        )


@dataclass(eq=False)
class TaskDefinition(Resource):
    """An ECS task definition in `RegisterTaskDefinition` shape."""

    kind: ClassVar[str] = "task-definition"
    containers: list[Container] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)  # filled in by the linker
    schedules: list[ScheduledTask] = field(default_factory=list)  # filled in by the linker
    complete: bool = True  # False for a bare container-definitions array (no task-level keys)

    @classmethod
    def build(cls, node: ObjectNode, file: SourceFile, **kw: object) -> TaskDefinition:
        task = cls(node, file, **kw)  # type: ignore[arg-type]
        if not task.name:
            task.name = node.str("family") or ""
        task.containers = [Container(c, task) for c in node.objects("containerDefinitions")]
        return task

    @property
    def label(self) -> str:
        """The task definition as a message names it: `AWS::ECS::TaskDefinition TaskDef`,
        `aws_ecs_task_definition.web`, the family."""
        if self.file.kind == "cloudformation" and "#" in self.address:
            return f"AWS::ECS::TaskDefinition {self.address.rsplit('#', 1)[-1]}"
        return self.address or self.name or self.file.path.rsplit("/", 1)[-1]

    @property
    def all_containers_known(self) -> bool:
        """True when `containers` is the whole set: every `containerDefinitions` item is written
        out. An item that is an expression (a module output, a CloudFormation `!If`) may be
        any container, so a rule that concludes from all containers stays silent otherwise."""
        node = self.node.get("containerDefinitions")
        return isinstance(node, ListNode) and all(isinstance(i, ObjectNode) for i in node.items)

    @property
    def family(self) -> str | None:
        return self.node.str("family")

    @property
    def compatibilities(self) -> set[str] | None:
        value = self.node.get("requiresCompatibilities")
        if value is None:
            return set()
        if not isinstance(value, ListNode) or not value.known:
            return None
        return {as_str(item) or "" for item in value.items}

    @property
    def fargate(self) -> bool:
        """True when the task declares FARGATE or a service runs it on Fargate."""
        compatibilities = self.compatibilities
        if compatibilities and "FARGATE" in compatibilities:
            return True
        return any(service.fargate for service in self.services)

    @property
    def network_mode(self) -> str | None:
        return self.node.str("networkMode")


@dataclass(eq=False)
class Service(Resource):
    """An ECS service in `CreateService` shape."""

    kind: ClassVar[str] = "service"
    task_definition: TaskDefinition | None = None
    target_groups: list[TargetGroup] = field(default_factory=list)
    cluster: Cluster | None = None
    scalable_targets: list[ScalableTarget] = field(default_factory=list)
    # filled in by the linker: its targets' policies, then policies naming it in their
    # ResourceId with no scalable target loaded
    scaling_policies: list[ScalingPolicy] = field(default_factory=list)
    subnets: list[Subnet] = field(default_factory=list)
    security_groups: list[SecurityGroup] = field(default_factory=list)

    @property
    def fargate(self) -> bool:
        if self.node.str("launchType") == "FARGATE":
            return True
        strategy = self.node.objects("capacityProviderStrategy")
        return any((item.str("capacityProvider") or "").startswith("FARGATE") for item in strategy)


@dataclass(eq=False)
class TargetGroup(Resource):
    """An ELBv2 target group in `CreateTargetGroup` shape (PascalCase), plus the attribute
    `deregistration_delay.timeout_seconds` as `DeregistrationDelay`."""

    kind: ClassVar[str] = "target-group"


@dataclass(eq=False)
class ScalableTarget(Resource):
    """Application Auto Scaling `RegisterScalableTarget` shape."""

    kind: ClassVar[str] = "scalable-target"
    service: Service | None = None
    policies: list[ScalingPolicy] = field(default_factory=list)


@dataclass(eq=False)
class ScalingPolicy(Resource):
    """Application Auto Scaling `PutScalingPolicy` shape. A bare policy configuration file
    becomes a policy with only the configuration key set."""

    kind: ClassVar[str] = "scaling-policy"
    target: ScalableTarget | None = None


@dataclass(eq=False)
class IamPolicy(Resource):
    """An IAM policy document (`Version`, `Statement`), wherever it is written."""

    kind: ClassVar[str] = "iam-policy"
    roles: list[str] = field(default_factory=list)  # addresses of roles it is attached to


@dataclass(eq=False)
class IamRole(Resource):
    kind: ClassVar[str] = "iam-role"
    policies: list[IamPolicy] = field(default_factory=list)
    attached: list[IamPolicy] = field(default_factory=list)  # by address; filled in by the linker
    managed_policy_arns: list[Node] = field(default_factory=list)


@dataclass(eq=False)
class SecurityGroup(Resource):
    """`IpPermissions` (ingress) in EC2 shape: IpProtocol, FromPort, ToPort, IpRanges[].CidrIp,
    Ipv6Ranges[].CidrIpv6, UserIdGroupPairs[].GroupId."""

    kind: ClassVar[str] = "security-group"


@dataclass(eq=False)
class Cluster(Resource):
    """ECS `CreateCluster` shape: clusterName, settings, capacityProviders, ..."""

    kind: ClassVar[str] = "cluster"


@dataclass(eq=False)
class Subnet(Resource):
    """EC2 subnet: CidrBlock, AvailabilityZone."""

    kind: ClassVar[str] = "subnet"


@dataclass(eq=False)
class ScheduledTask(Resource):
    """A task run outside any service, on a schedule or as a job: an EventBridge rule target, an
    EventBridge Scheduler schedule, a Step Functions `ecs:runTask` state. EventBridge
    `EcsParameters` shape: TaskDefinitionArn, TaskCount, LaunchType, PlatformVersion."""

    kind: ClassVar[str] = "scheduled-task"
    task_definition: TaskDefinition | None = None  # filled in by the linker


@dataclass(eq=False)
class ExpressService(Resource):
    """An ECS Express Mode service in `CreateExpressGatewayService` shape (camelCase): task size,
    `primaryContainer`, roles, `networkConfiguration`, `scalingTarget`, `healthCheckPath`. The
    linker expands it into the task definition, service and scalable target ECS creates from it
    (`fglint.express`), so the rules about those apply to it too."""

    kind: ClassVar[str] = "express-service"
    task_definition: TaskDefinition | None = None  # filled in by the linker
    service: Service | None = None
    scalable_target: ScalableTarget | None = None
    expanded: bool = False


@dataclass(eq=False)
class DockerInstruction:
    """One Dockerfile instruction. `args` is what follows the keyword and its flags: for the exec
    (JSON) form a ListNode of strings; for COPY and ADD a ListNode of their words in either form
    (sources, then the destination); otherwise one string node of the text as Docker joins its
    continuation lines, unknown where Docker substitutes a variable (FROM, USER, ...)."""

    keyword: str  # upper case: "FROM", "CMD"
    span: Span  # the keyword to the end of its arguments, continuation lines included
    args: Node
    exec_form: bool = False
    flags: dict[str, Node] = field(default_factory=dict)  # `--from=build` -> {"from": "build"}
    # ENV, ARG, LABEL: (name, value); the value is None for an ARG without a default
    variables: list[tuple[Node, Node | None]] = field(default_factory=list)


@dataclass(eq=False)
class DockerStage:
    """`FROM image [AS name]` and the instructions after it."""

    index: int
    start: DockerInstruction  # the FROM instruction
    image: Node  # the base as written: an image, `scratch`, a stage name; unknown if from an ARG
    name: str = ""  # the `AS` name, lower case
    base: DockerStage | None = None  # the earlier stage that `FROM <name>` builds on
    instructions: list[DockerInstruction] = field(default_factory=list)

    @property
    def external(self) -> bool:
        """True when the base is an image from a registry (not scratch, a stage or unknown)."""
        text = as_str(self.image)
        return self.base is None and text is not None and text.lower() != "scratch"

    def last(self, keyword: str) -> DockerInstruction | None:
        found = [i for i in self.instructions if i.keyword == keyword]
        return found[-1] if found else None

    def chain(self) -> list[DockerStage]:
        """This stage, then the stages it is built on (`FROM <stage>`), nearest first."""
        stages: list[DockerStage] = [self]
        base = self.base
        while base is not None and base not in stages:
            stages.append(base)
            base = base.base
        return stages


@dataclass(eq=False)
class EntryScript:
    """A file of the scanned tree that the image runs from ENTRYPOINT or CMD (an entry-point
    script): the argument that names it, its path in the image, the COPY or ADD that puts it
    there, and the file as read. The linker finds them (`fglint.scripts`)."""

    at: Node
    path: str
    copy: DockerInstruction
    file: SourceFile


@dataclass(eq=False)
class DockerImage(Resource):
    """A Dockerfile: its build stages in order (the last one is the image that runs) and the
    ARGs declared before the first FROM. `node` spans the whole file."""

    kind: ClassVar[str] = "docker-image"
    stages: list[DockerStage] = field(default_factory=list)
    global_args: list[DockerInstruction] = field(default_factory=list)
    scripts: list[EntryScript] = field(default_factory=list)  # set by the linker

    @property
    def final(self) -> DockerStage | None:
        return self.stages[-1] if self.stages else None

    def script(self, at: Node) -> EntryScript | None:
        """The script of the scanned tree that the ENTRYPOINT or CMD argument `at` names."""
        return next((s for s in self.scripts if s.at is at), None)

    def instructions(self) -> Iterator[DockerInstruction]:
        """Every instruction of the file, global ARGs and FROMs included, in order."""
        yield from self.global_args
        for stage in self.stages:
            yield stage.start
            yield from stage.instructions


Key = Callable[[Any], Hashable]


@dataclass(eq=False)
class Project:
    """Everything loaded in one run, so that rules can look across files.

    Lookups by name or address go through indexes built once (`where`, `file_at`): a run over
    thousands of files would otherwise scan every resource per lookup. An index is rebuilt when
    the resource list changes (an `add`, or a front-end replacing the list)."""

    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)  # the scanned roots: no file is read outside
    # what the command line tells front-ends: `terraform.var_files` (`--var-file`)
    settings: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why it is not ours)
    limits: Limits = field(default_factory=Limits)
    base: str = ""  # the project root paths are shown relative to (default: working directory)
    # absolute path -> the bytes given on standard input for it, read instead of the disk
    buffers: dict[str, bytes] = field(default_factory=dict)
    # What loading looked at, recorded for the model cache while it is on (None: off), in
    # order: ("file", abspath, "") for each file read or probed, ("file", abspath, its state)
    # for each file used that was read earlier, ("folder", path, "") for each folder listed or
    # probed, ("built", folder, "1" or "0") for each look at whether a Terraform folder was
    # built as a root module; `fingerprints` holds what each file and folder was when first seen.
    trace: list[tuple[str, str, str]] | None = None
    fingerprints: dict[str, str] = field(default_factory=dict)
    # ((the list indexed, its length, its last item), the indexes): `of`, `where`, `file_at`
    _indexed: tuple[tuple[object, int, object], dict[Any, Any]] = field(
        default_factory=lambda: ((None, 0, None), {}), init=False, repr=False
    )
    _by_abspath: tuple[tuple[object, int, object], dict[str, SourceFile]] = field(
        default_factory=lambda: ((None, 0, None), {}), init=False, repr=False
    )

    def add(self, resource: Resource) -> None:
        self.resources.append(resource)

    def _indexes(self) -> dict[Any, Any]:
        seen, indexes = self._indexed
        items = self.resources
        if not _unchanged(items, seen) or len(items) != seen[1]:
            indexes = {}
            self._indexed = ((items, len(items), items[-1] if items else None), indexes)
        return indexes

    def discard(self, file: SourceFile) -> None:
        """Forget the resources read from `file` (its loading failed half way)."""
        self.resources = [r for r in self.resources if r.file is not file]

    def of(self, cls: type[R]) -> Iterator[R]:
        indexes = self._indexes()
        if cls not in indexes:
            indexes[cls] = [r for r in self.resources if isinstance(r, cls)]
        return iter(indexes[cls])

    def where(self, cls: type[R], key: Key, value: Hashable) -> list[R]:
        """The resources of type `cls` (in load order) for which `key(resource) == value`. The
        index of each (class, key function) is built on first use, so `key` must be one
        function object (a module-level function), not a new lambda per call."""
        return self.index(cls, key).get(value, [])

    def index(self, cls: type[R], key: Key) -> dict[Hashable, list[R]]:
        """Every value of `key` (not None) with the resources of type `cls` that have it, in
        load order; built once (see `where`). Not to be changed by the caller."""
        indexes = self._indexes()
        index = indexes.get((cls, key))
        if index is None:
            index = {}
            for resource in self.of(cls):
                found = key(resource)
                if found is not None:
                    index.setdefault(found, []).append(resource)
            indexes[(cls, key)] = index
        return index

    def file_at(self, abspath: str) -> SourceFile | None:
        """The file loaded from `abspath`, if any (the first, when loaded twice)."""
        seen, index = self._by_abspath
        items = self.files
        if not _unchanged(items, seen):
            seen, index = (items, 0, None), {}
        for file in items[seen[1] :]:
            index.setdefault(file.abspath, file)
        self._by_abspath = ((items, len(items), items[-1] if items else None), index)
        return index.get(abspath)

    @property
    def task_definitions(self) -> list[TaskDefinition]:
        return list(self.of(TaskDefinition))

    def containers(self) -> Iterator[Container]:
        for task in self.of(TaskDefinition):
            yield from task.containers

    def anchor_of(self, where: Node | Span) -> Span:
        """Where a finding reported at `where` points: a resource's or container's anchor when
        `where` is its whole object (a finding about something it lacks), else `where`."""
        indexes = self._indexes()
        anchors = indexes.get("anchors")
        if anchors is None:
            anchors = {id(r.node): r for r in self.resources}
            anchors.update((id(c.node), c) for c in self.containers())
            indexes["anchors"] = anchors
            indexes["paths"] = {f.path: f for f in reversed(self.files)}
        owner = anchors.get(id(where))
        if owner is not None and owner.node is where:
            anchor = owner.anchor
            return one_line(anchor, indexes["paths"].get(anchor.path))
        return where if isinstance(where, Span) else where.span

    def resolve(self, node: Node | None, cls: type[R]) -> R | None:
        """The resource an expression refers to, when it refers to one of type `cls`."""
        if not isinstance(node, UnknownNode) or not node.ref:
            return None
        # Addresses are unique within a Terraform module (a directory) or a template (a file).
        # A folder that defines one twice holds independent examples: the one in the same file,
        # else the only one in the folder; never a guess.
        folder = node.span.path.rpartition("/")[0]
        found = self.where(cls, address_in_folder, (node.ref, folder))
        here = [r for r in found if r.file.path == node.span.path]
        return found[0] if len(found) == 1 else (here[0] if len(here) == 1 else None)


def _unchanged(items: list[Any], seen: tuple[object, int, object]) -> bool:
    """Is `items` the list seen (list, length, last item), perhaps appended to? Items are only
    appended or removed, and a removal shifts the item at the last place seen."""
    listed, size, last = seen
    return listed is items and len(items) >= size and (not size or items[size - 1] is last)


def address_of(resource: Resource) -> str | None:
    return resource.address or None


def address_in_folder(resource: Resource) -> tuple[str, str] | None:
    if not resource.address:
        return None
    return resource.address, resource.file.path.rpartition("/")[0]
