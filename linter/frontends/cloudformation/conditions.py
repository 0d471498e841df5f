"""CloudFormation conditions decided with the parameters' defaults: a named condition of the
`Conditions` section, or a condition function (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`,
`Condition`); None when the defaults do not decide it."""

from __future__ import annotations

import json

from fglint.evaluate.values import render, whole
from fglint.frontends.cloudformation.references import function_of
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, as_bool, as_str


class Conditions:
    """The template's named conditions, a base of the template's `Evaluator`, whose `value`
    evaluates what `Fn::Equals` compares (one object: an evaluator holding its conditions and
    they its `value` would be a reference cycle, and keep the whole template alive until the
    cyclic collector runs, which it does not while files load)."""

    def __init__(self, named: dict[str, Node]) -> None:
        self.named = named
        self.decided: dict[str, bool | None] = {}

    def value(self, node: Node) -> Node | None:
        raise NotImplementedError

    def condition(self, name: str | None) -> bool | None:
        """A named condition under the parameter defaults; None when it cannot be decided."""
        if name is None or name not in self.named:
            return None
        if name not in self.decided:
            self.decided[name] = None  # a condition that refers to itself stays unknown
            self.decided[name] = self.truth(self.named[name])
        return self.decided[name]

    def truth(self, node: Node) -> bool | None:
        """A condition function (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`)."""
        function = function_of(node) if isinstance(node, ObjectNode) else None
        if isinstance(node, ObjectNode) and len(node.fields) == 1 and "Condition" in node:
            function = ("Fn::Condition", node.fields["Condition"])
        if function is None:
            return as_bool(node) if isinstance(node, ScalarNode) else None
        name, argument = function
        items = argument.items if isinstance(argument, ListNode) else []
        if name == "Fn::Condition":
            return self.condition(as_str(argument))
        if name == "Fn::Equals" and len(items) == 2:
            return equals(*(self.value(item) for item in items))
        if name == "Fn::Not" and len(items) == 1:
            inner = self.truth(items[0])
            return None if inner is None else not inner
        if name in ("Fn::And", "Fn::Or") and items:
            found = [self.truth(item) for item in items]
            decisive = name == "Fn::Or"  # a true Or, a false And
            if decisive in found:
                return decisive
            return None if None in found else not decisive
        return None


def equals(first: Node | None, second: Node | None) -> bool | None:
    """`Fn::Equals`: CloudFormation compares the values as strings; None when either is not
    known."""
    if first is None or second is None or not (whole(first) and whole(second)):
        return None
    if isinstance(first, ScalarNode) and isinstance(second, ScalarNode):
        return render(first.value) == render(second.value)
    return json.dumps(first.to_python()) == json.dumps(second.to_python())
