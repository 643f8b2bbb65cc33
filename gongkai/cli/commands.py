"""The sub-commands of `gongkai`: their names, the module that implements each and its one-line
help, so that `gongkai --help` lists them and `gongkai check …` finds its module without importing
any sub-command module but the one it runs (each pulls in rich, the parsers, or Django).

Each module exposes `register(subparsers)`, which adds the parsers of its commands (in the order
of this table) with the help given here, and sets `func` to a callable taking the parsed namespace
and returning the exit status.
"""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    name: str
    module: str  # under gongkai.cli
    help: str


COMMANDS: tuple[Command, ...] = (
    Command("check", "check", "检查年度报告的表格勾稽关系、格式和文字与表格的一致性（可批量）"),
    Command("render", "render", "把年度报告转换为 Word、网页、PDF、纯文本或 JSON"),
    Command("due", "due", "计算依申请公开的补正、答复、延期期限（按工作日）"),
    Command("demo", "web", "用演示数据启动网页应用（SQLite，本机访问）"),
    Command("serve", "web", "以生产方式启动网页应用（gunicorn）"),
    Command("manage", "web", "Django 管理命令（同 manage.py）"),
    Command("report", "report", "由办理记录生成年度报告"),
    Command("audit", "audit", "查看审计记录（只读）"),
    Command("backup", "backup", "备份数据库和附件、报告文件到一个文件"),
    Command("restore", "backup", "从备份文件恢复到空的数据库和数据目录"),
    Command("stats", "stats", "政府信息公开工作定期统计（月报、季报、年度累计）"),
    Command("score", "score", "政务公开考核：各机构得分及扣分依据"),
    Command("notify", "notify", "生成到期提醒并发送邮件（可由 cron 定时运行）"),
)


def help_of(name: str) -> str:
    """The one-line help of command `name`, as `gongkai --help` lists it."""
    return next(command.help for command in COMMANDS if command.name == name)
