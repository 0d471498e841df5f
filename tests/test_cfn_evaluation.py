"""CloudFormation evaluation: parameter defaults through `Ref`, `Fn::Sub` and `Fn::Join` as partly
known strings, `Fn::FindInMap`, `Fn::If` on conditions the defaults decide, `Fn::Select`,
`Fn::Split` and `Fn::GetAtt` of a property written in the template; and silence on what the
template does not decide."""

from __future__ import annotations

from pathlib import Path

import pytest
from fglint.evaluate.values import Invalid
from fglint.load import load
from fglint.model import Project, Service, Subnet, TaskDefinition
from fglint.nodes import Node, ObjectNode, ScalarNode, TemplateNode, UnknownNode

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Image:
    Type: String
    Default: nginx
  Only:
    Type: String
    AllowedValues: [one]
  Open:
    Type: String
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
    Default: "subnet-a, subnet-b"
  Latest:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /images/web
  Stage:
    Type: String
    Default: dev
Mappings:
  Sizes:
    dev: {Cpu: 256}
    prod: {Cpu: 1024}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsDev, !Equals [!Ref Only, one]]
  Either: !Or [!Condition IsProd, !Equals [!Ref Open, x]]
  Any: !Or [!Condition IsDev, !Equals [!Ref Open, x]]
  Loop: !Not [!Condition Loop]
Resources:
  Tag:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: "1.27"
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      Cpu: !FindInMap [Sizes, !Ref Stage, Cpu]
      Memory: !FindInMap [Sizes, !Ref Open, Memory]
      ContainerDefinitions:
        - Name: web
          Image: !Ref Image
          Command: [!Ref Only, !Ref Open, !Ref Latest, !Ref "AWS::Region"]
          EntryPoint: !Split [",", "a,b"]
          WorkingDirectory: !Select [1, !Ref Subnets]
          Hostname: !Select [5, [a, b]]
          User: !Sub ["${Name}:${Tag.Value}-${!x}", {Name: !Ref Image}]
          Environment:
            - {Name: A, Value: !If [IsProd, p, d]}
            - {Name: B, Value: !If [Both, t, f]}
            - {Name: C, Value: !If [Either, t, f]}
            - {Name: D, Value: !If [Any, t, f]}
            - {Name: E, Value: !If [Loop, t, f]}
            - {Name: F, Value: !If [IsProd, p, !Ref AWS::NoValue]}
            - {Name: G, Value: !Join ["-", [!Ref AWS::StackName, !Ref Stage]]}
            - {Name: H, Value: !GetAtt Tag.Value}
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      ServiceName: !Join ["-", [web, !Ref Stage]]
"""


def where(text: str) -> tuple[int, int]:
    before = TEMPLATE[: TEMPLATE.index(text)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def project(tmp_path: Path, text: str = TEMPLATE, name: str = "stack.yaml") -> Project:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load([str(path)])


def task(tmp_path: Path) -> TaskDefinition:
    return next(iter(project(tmp_path).of(TaskDefinition)))


def container(tmp_path: Path) -> ObjectNode:
    return task(tmp_path).containers[0].node


def environment(tmp_path: Path) -> dict[str, Node]:
    found = {}
    for item in container(tmp_path).objects("environment"):
        if "value" in item:
            found[item.str("name") or ""] = item.fields["value"]
    return found


def test_ref_takes_the_default_at_the_default_passed_through_the_ref(tmp_path: Path) -> None:
    image = container(tmp_path).get("image")
    assert isinstance(image, ScalarNode) and image.value == "nginx"
    assert (image.span.line, image.span.col) == where("nginx")
    assert [(s.line, s.col, m) for s, m in image.via] == [
        (*where("!Ref Image"), "passed as `!Ref Image`")
    ]


def test_what_the_defaults_do_not_decide_stays_unknown(tmp_path: Path) -> None:
    only, open_, latest, region = container(tmp_path).list("command")
    assert isinstance(only, ScalarNode) and only.value == "one"  # the one value it allows
    assert isinstance(open_, UnknownNode) and open_.text == "!Ref Open"
    assert isinstance(latest, UnknownNode)  # an SSM parameter's default is its name
    assert isinstance(region, UnknownNode) and not isinstance(region, TemplateNode)


def test_list_parameters_split_their_default(tmp_path: Path) -> None:
    directory = container(tmp_path).get("workingDirectory")
    assert isinstance(directory, ScalarNode) and directory.value == "subnet-b"


def test_split_select_and_an_index_outside_the_list(tmp_path: Path) -> None:
    node = container(tmp_path)
    assert node.get("entryPoint") is not None and node.get("entryPoint").to_python() == ["a", "b"]
    assert isinstance(node.get("hostname"), Invalid)


def test_find_in_map_reads_the_entry_through_the_call(tmp_path: Path) -> None:
    cpu = task(tmp_path).node.get("cpu")
    assert isinstance(cpu, ScalarNode) and cpu.value == 256
    assert (cpu.span.line, cpu.span.col) == where("256")
    assert cpu.via[-1][1] == "read through `!FindInMap [Sizes, !Ref Stage, Cpu]`"
    assert isinstance(task(tmp_path).node.get("memory"), UnknownNode)  # key unknown


def test_sub_substitutes_variables_attributes_and_escapes(tmp_path: Path) -> None:
    user = container(tmp_path).get("user")
    assert isinstance(user, ScalarNode) and user.value == "nginx:1.27-${x}"
    assert (user.span.line, user.span.col) == where('!Sub ["${Name}')
    related = {(s.line, s.col) for s, _ in user.via}
    assert where("nginx") in related and where('"1.27"') in related


def test_conditions_decide_under_the_defaults(tmp_path: Path) -> None:
    env = environment(tmp_path)
    values = {name: node.to_python() if node.known else "?" for name, node in env.items()}
    assert values == {"A": "d", "B": "t", "C": "?", "D": "t", "E": "?", "G": "?", "H": "1.27"}
    names = [item.str("name") for item in container(tmp_path).objects("environment")]
    assert "F" in names  # its value is `AWS::NoValue` under the defaults: the key is gone


def test_join_keeps_literal_parts_located(tmp_path: Path) -> None:
    joined = environment(tmp_path)["G"]
    assert isinstance(joined, TemplateNode) and joined.masked("?") == "?-dev"
    assert joined.text == "${AWS::StackName}-dev"  # shown in Fn::Sub notation, defaults filled
    literal = joined.parts[-1]
    assert isinstance(literal, ScalarNode) and literal.value == "-dev"


def test_references_to_resources_still_link(tmp_path: Path) -> None:
    found = project(tmp_path)
    service = next(iter(found.of(Service)))
    assert service.task_definition is next(iter(found.of(TaskDefinition)))
    assert service.name == "web-dev"


def test_getatt_of_a_property_not_written_is_unknown_with_its_resource(tmp_path: Path) -> None:
    text = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
      AvailabilityZone: !GetAtt Vpc.DefaultNetworkAcl
"""
    subnet = next(iter(project(tmp_path, text).of(Subnet)))
    zone = subnet.node.get("AvailabilityZone")
    assert isinstance(zone, UnknownNode) and (zone.ref or "").endswith("#Vpc")
    assert isinstance(subnet.node.get("CidrBlock"), UnknownNode)


def test_json_templates_evaluate_the_same_way(tmp_path: Path) -> None:
    text = """{
  "Parameters": {"Image": {"Type": "String", "Default": "nginx:1.27"}},
  "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
    "ContainerDefinitions": [{"Name": "web", "Image": {"Fn::Sub": "${Image}"}}]}}}
}"""
    found = project(tmp_path, text, "stack.json")
    image = next(iter(found.of(TaskDefinition))).containers[0].node.get("image")
    assert isinstance(image, ScalarNode) and image.value == "nginx:1.27"


def test_a_cycle_of_getatt_is_unknown(tmp_path: Path) -> None:
    text = """\
Resources:
  A:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !GetAtt B.Value}
  B:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !GetAtt A.Value}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: web, Image: !GetAtt A.Value}]
"""
    image = next(iter(project(tmp_path, text).of(TaskDefinition))).containers[0].node.get("image")
    assert isinstance(image, UnknownNode)


def test_sub_literal_parts_keep_their_columns(tmp_path: Path) -> None:
    text = """\
Parameters:
  Registry: {Type: String}
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: web, Image: !Sub "${Registry}/web:latest"}]
"""
    image = next(iter(project(tmp_path, text).of(TaskDefinition))).containers[0].node.get("image")
    assert isinstance(image, TemplateNode) and image.suffix() == "/web:latest"
    assert image.text == "${Registry}/web:latest"
    literal = image.parts[-1]
    column = text.splitlines()[6].index("/web:latest") + 1
    assert (literal.span.line, literal.span.col, literal.span.end_col) == (7, column, column + 11)
    assert isinstance(image.parts[0], UnknownNode) and image.parts[0].text == "${Registry}"


CONDITIONS = """\
Parameters:
  Create: {Type: String, Default: "no"}
  Stage: {Type: String}
Conditions:
  Created: !Equals [!Ref Create, "yes"]
  Unknown: !Equals [!Ref Stage, test]
Resources:
  Absent:
    Type: AWS::ECS::TaskDefinition
    Condition: Created
    Properties: {Family: absent}
  Maybe:
    Type: AWS::ECS::TaskDefinition
    Condition: Unknown
    Properties: {Family: maybe}
  Undefined:
    Type: AWS::ECS::TaskDefinition
    Condition: NoSuchCondition
    Properties: {Family: undefined}
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Absent
      Role: !If [Created, !Ref Absent, !Ref "AWS::NoValue"]
"""


def test_a_resource_whose_condition_is_false_is_absent(tmp_path: Path) -> None:
    found = project(tmp_path, CONDITIONS)
    tasks = {task.name: task.conditional for task in found.of(TaskDefinition)}
    assert tasks == {"maybe": True, "undefined": True}
    service = next(iter(found.of(Service)))
    assert not service.conditional and service.task_definition is None
    reference = service.node.get("taskDefinition")
    assert isinstance(reference, UnknownNode) and reference.ref is None
    assert "role" not in service.node


def test_what_has_nothing_to_evaluate_is_the_templates_own_node() -> None:
    """Evaluation copies only the path to what it changes: an 8 MB template of plain values
    is not held twice."""
    from fglint.frontends.cloudformation.intrinsics import Evaluator
    from fglint.frontends.cloudformation.yaml_parse import parse_yaml
    from fglint.model import SourceFile
    from fglint.nodes import ListNode

    text = "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
    text += "      Plain: [{Name: a, Value: b}]\n      Changed: [{Name: a}, {Ref: AWS::Region}]\n"
    [root], _ = parse_yaml(text, "t.yaml")
    assert isinstance(root, ObjectNode)
    resources = root.obj("Resources")
    assert resources is not None
    evaluator = Evaluator(SourceFile("t.yaml", "t.yaml", text), resources, root)
    properties = resources.fields["T"].obj("Properties")  # type: ignore[union-attr]
    assert properties is not None
    evaluated = evaluator.value(properties)
    assert isinstance(evaluated, ObjectNode) and evaluated is not properties
    assert evaluated.fields["Plain"] is properties.fields["Plain"]
    changed, written = evaluated.fields["Changed"], properties.fields["Changed"]
    assert isinstance(changed, ListNode) and isinstance(written, ListNode)
    assert changed is not written and changed.items[0] is written.items[0]
    assert isinstance(changed.items[1], UnknownNode)


def test_source_text_is_read_without_splitting_the_file_into_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fglint.frontends.cloudformation.intrinsics import Evaluator
    from fglint.model import LINE_BREAK, SourceFile
    from fglint.nodes import Span

    for text in ["", "a", "a\n", "a\r\nbb\rc\n\nd", "\r\n\r\n", "x\x0cy\u2028z\n"]:
        file = SourceFile("t.yaml", "t.yaml", text)
        evaluator = Evaluator(file, ObjectNode(Span("t.yaml", 1, 1, 1, 1)))
        lines = LINE_BREAK.split(text)  # what file.lines holds
        for first, last in [(1, 1), (1, 9), (2, 3), (3, 2), (0, 2), (-1, 9), (5, 9)]:
            assert evaluator.lines(first, last) == lines[first - 1 : last], (text, first)
            assert evaluator.line(first) == (lines[first - 1] if 0 < first <= len(lines) else "")
        assert "lines" not in vars(file)  # the whole list was not made
    monkeypatch.setattr(SourceFile, "lines", property(lambda file: pytest.fail("split")))
    found = project(tmp_path)  # values that the template does not decide quote its source
    assert any(isinstance(node, UnknownNode) for node in environment(tmp_path).values())
    assert found.resources
