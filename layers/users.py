"""Manage accounts from a shell: ``python -m layers.users add NAME --role admin``.

Creates the first administrator (who then manages everyone else on the 管理 page),
and lists, changes or disables accounts. The database is ``$WEICHENG_MAP_DB``
(a SQLite file path or a ``postgresql://`` URL) unless ``--db`` says otherwise.
The password is asked for twice on the terminal, or read from the first line of
standard input with ``--password-stdin`` (for scripts); it never goes on the command line.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from layers.store.engine import StoreError, get_engine, upgrade
from layers.store.schema import ROLES
from layers.store.users import ROLE_LABELS, UserError, add_user, list_users, update_user

ACTOR = "command-line"


def _password(args: argparse.Namespace, *, required: bool) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not required and args.no_password:
        return None
    first = getpass.getpass("密码（至少 10 个字符）：")
    if getpass.getpass("再输入一次：") != first:
        raise UserError("两次输入的密码不一致。")
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m layers.users", description="管理潍城区规划地图的账户")
    parser.add_argument("--db", help="数据库：SQLite 文件路径或 postgresql:// 地址（默认取 WEICHENG_MAP_DB）")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="添加账户")
    add.add_argument("name", help="用户名：小写字母、数字或 . _ -")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="；".join(f"{r} = {ROLE_LABELS[r]}" for r in ROLES))
    add.add_argument("--display-name", help="显示名称（默认同用户名）")
    add.add_argument("--email", help="电子邮箱（单位统一登录 OIDC 用它对应账户）")
    add.add_argument("--no-password", action="store_true", help="不设密码，只能通过单位统一登录（需 --email）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入第一行读取密码")
    sub.add_parser("list", help="列出账户")
    role = sub.add_parser("set-role", help="修改角色")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    for name, helptext in (("disable", "停用账户"), ("enable", "重新启用账户")):
        sub.add_parser(name, help=helptext).add_argument("name")
    pw = sub.add_parser("passwd", help="重设密码")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true", help="从标准输入第一行读取密码")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status (messages in Chinese, no tracebacks)."""
    args = _parser().parse_args(argv)
    try:
        engine = get_engine(args.db)
        upgrade(engine)
        if args.command == "add":
            user = add_user(engine, args.name, args.role, password=_password(args, required=False),
                            display_name=args.display_name, email=args.email, actor=ACTOR)
            print(f"已添加账户 {user.username}（{user.role_label}）。")
        elif args.command == "list":
            for row in list_users(engine).itertuples():
                state = "可用" if row.active else "已停用"
                print(f"{row.username}\t{ROLE_LABELS[row.role]}\t{state}\t{row.email or ''}\t{row.display_name}")
        elif args.command == "set-role":
            user = update_user(engine, args.name, role=args.role, actor=ACTOR)
            print(f"{user.username} 的角色已改为 {user.role_label}。")
        elif args.command in ("disable", "enable"):
            user = update_user(engine, args.name, active=args.command == "enable", actor=ACTOR)
            print(f"账户 {user.username} 已{'启用' if user.active else '停用'}。")
        elif args.command == "passwd":
            args.no_password = False
            user = update_user(engine, args.name, password=_password(args, required=True), actor=ACTOR)
            print(f"已重设 {user.username} 的密码。")
    except (UserError, StoreError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
