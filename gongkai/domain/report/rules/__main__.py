"""`python -m gongkai.domain.report.rules` prints docs/rules.md, generated from the registry."""

from gongkai.domain.report.rules import rules_markdown

print(rules_markdown(), end="")
