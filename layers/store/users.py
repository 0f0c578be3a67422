"""Accounts and roles: argon2 password hashes, rate-limited sign-in, OIDC mapping by e-mail.

Roles rank ``editor`` < ``approver`` < ``admin``; each may do what the ones below
it may. Anyone may browse without an account. Every change to an account and
every sign-in (successful or not) is written to the audit log in the same
transaction.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update

from layers.store import audit
from layers.store.engine import store_errors
from layers.store.schema import PERSON_MAX, ROLES, login_attempts, users, utcnow

ROLE_LABELS = {"editor": "编辑", "approver": "审核", "admin": "管理员"}
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES, start=1)}
#: The least role each writing action needs. Reading needs no account at all.
ACTION_ROLES = {
    "propose": "editor",
    "comment": "editor",
    "set_status": "editor",
    "import": "editor",
    "delete_projects": "editor",
    "record_target": "editor",
    "approve": "approver",
    "restore": "approver",
    "manage_users": "admin",
    "view_audit": "admin",
}
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
#: Rate limit: this many failures for one name (or 4× that from one client) within the window lock it.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)

_hasher = PasswordHasher()
#: Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password, only spends the time")


class UserError(ValueError):
    """A request about accounts that cannot be done; the message (Chinese) says why."""


class SignInError(UserError):
    """Sign-in refused: wrong name or password, disabled account, or too many failures."""


@dataclass(frozen=True)
class User:
    """A signed-in person as the pages see it (never carries the password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    email: str | None
    active: bool

    @property
    def role_label(self) -> str:
        """The role in Chinese."""
        return ROLE_LABELS[self.role]


def can(user: User | None, action: str) -> bool:
    """Whether ``user`` may do the writing ``action`` (see :data:`ACTION_ROLES`); None never may."""
    needed = ACTION_ROLES[action]  # a KeyError here is a typo in the caller, not a refusal
    return user is not None and user.active and ROLE_RANK[user.role] >= ROLE_RANK[needed]


def _user(row) -> User:
    return User(id=row.id, username=row.username, display_name=row.display_name, role=row.role,
                email=row.email, active=bool(row.active))


def _public(row) -> dict:
    """What the audit log keeps of an account: everything but the hash."""
    return {k: v for k, v in asdict(_user(row)).items() if k != "id"}


def normalise_username(name: str) -> str:
    """Names are case-insensitive: stored and looked up in lower case, without surrounding spaces."""
    return (name or "").strip().lower()


def _check_username(name: str) -> str:
    name = normalise_username(name)
    if not USERNAME_RE.match(name):
        raise UserError(f"用户名“{name[:64]}”无效：请用 2–64 个小写英文字母、数字或 . _ -，并以字母或数字开头。")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"角色“{role}”无效，可选：" + "、".join(f"{r}（{ROLE_LABELS[r]}）" for r in ROLES))
    return role


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"密码太短：至少 {MIN_PASSWORD} 个字符。")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"密码太长：最多 {MAX_PASSWORD} 个字符。")
    return password


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise UserError(f"电子邮箱“{email[:254]}”格式不对。")
    return email


def _check_display_name(display_name: str | None, username: str) -> str:
    display_name = (display_name or "").strip() or username
    if len(display_name) > PERSON_MAX:
        raise UserError(f"显示名称太长（{len(display_name)} 个字符），最多 {PERSON_MAX} 个字符。")
    return display_name


def _row(conn: Connection, username: str):
    return conn.execute(select(users).where(users.c.username == normalise_username(username))).first()


@store_errors
def get_user(engine: Engine, username: str) -> User | None:
    """The account called ``username`` (case-insensitive), or None."""
    with engine.connect() as conn:
        row = _row(conn, username)
    return _user(row) if row else None


@store_errors
def list_users(engine: Engine) -> pd.DataFrame:
    """Every account (without hashes), by name."""
    cols = [users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.email, users.c.active,
            users.c.created_at, (users.c.password_hash.is_not(None)).label("has_password")]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(users.c.username)).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in cols])


@store_errors
def add_user(engine: Engine, username: str, role: str, *, password: str | None = None,
             display_name: str | None = None, email: str | None = None, actor: str = "system") -> User:
    """Create an account. Without a password it can only sign in through OIDC (needs ``email``)."""
    name = _check_username(username)
    values = {"username": name, "role": _check_role(role), "display_name": _check_display_name(display_name, name),
              "email": _check_email(email), "active": True, "created_at": utcnow(),
              "password_hash": _hasher.hash(_check_password(password)) if password is not None else None}
    if values["password_hash"] is None and values["email"] is None:
        raise UserError("没有密码的账户只能通过单位统一登录（OIDC）使用，必须填写电子邮箱。")
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        if _row(conn, name) is not None:
            raise UserError(f"用户名“{name}”已存在。")
        if values["email"] and conn.execute(select(users.c.id).where(users.c.email == values["email"])).first():
            raise UserError(f"电子邮箱“{values['email']}”已被其他账户使用。")
        conn.execute(insert(users).values(**values))
        row = _row(conn, name)
        audit.record(conn, actor, "user_add", f"user {name}", after=_public(row))
    return _user(row)


def _active_admins(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(users)
                        .where(and_(users.c.role == "admin", users.c.active.is_(True)))).scalar_one()


@store_errors
def update_user(engine: Engine, username: str, *, actor: str, role: str | None = None, active: bool | None = None,
                password: str | None = None, display_name: str | None = None, email: str | None = None) -> User:
    """Change an account's role, state, password, name or e-mail; refuses to remove the last admin.

    A new password also clears the name's failed sign-ins, so a locked account can sign in at once.
    """
    changes: dict = {}
    if role is not None:
        changes["role"] = _check_role(role)
    if active is not None:
        changes["active"] = bool(active)
    if password is not None:
        changes["password_hash"] = _hasher.hash(_check_password(password))
    if display_name is not None:
        changes["display_name"] = _check_display_name(display_name, normalise_username(username))
    if email is not None:
        changes["email"] = _check_email(email)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        before = _row(conn, username)
        if before is None:
            raise UserError(f"没有用户名为“{normalise_username(username)}”的账户。")
        loses_admin = before.role == "admin" and before.active and (
            changes.get("role", "admin") != "admin" or changes.get("active", True) is False)
        if loses_admin and _active_admins(conn) <= 1:
            raise UserError("这是最后一个可用的管理员账户，不能停用或降级；请先为另一个人设置管理员角色。")
        if changes.get("email") and conn.execute(select(users.c.id).where(
                and_(users.c.email == changes["email"], users.c.id != before.id))).first():
            raise UserError(f"电子邮箱“{changes['email']}”已被其他账户使用。")
        conn.execute(update(users).where(users.c.id == before.id).values(**changes))
        if password is not None:  # a reset unlocks the name: "请联系管理员" must lead somewhere
            conn.execute(delete(login_attempts).where(and_(login_attempts.c.username == before.username,
                                                           login_attempts.c.ok.is_(False))))
        after = _row(conn, username)
        detail = "重设密码，解除登录锁定" if password is not None else None
        audit.record(conn, actor, "user_change", f"user {before.username}", before=_public(before),
                     after=_public(after), detail=detail)
    return _user(after)


def _failures_since(conn: Connection, column, value: str, since: datetime) -> list[datetime]:
    return list(conn.execute(select(login_attempts.c.at).where(and_(
        column == value, login_attempts.c.ok.is_(False), login_attempts.c.at >= since))
        .order_by(login_attempts.c.at)).scalars())


def locked_until(conn: Connection, username: str, client: str | None, now: datetime) -> datetime | None:
    """When a locked name (or client) may try again, or None when it is not locked."""
    since = now - FAILURE_WINDOW
    by_name = _failures_since(conn, login_attempts.c.username, username, since)
    by_client = _failures_since(conn, login_attempts.c.client, client, since) if client else []
    blocking = []
    if len(by_name) >= MAX_FAILURES:
        blocking.append(by_name[-MAX_FAILURES])
    if len(by_client) >= 4 * MAX_FAILURES:
        blocking.append(by_client[-4 * MAX_FAILURES])
    return max(blocking) + FAILURE_WINDOW if blocking else None


@store_errors
def authenticate(engine: Engine, username: str, password: str, *, client: str | None = None,
                 now: datetime | None = None) -> User:
    """The account for a name and password, or :class:`SignInError` (the message never says which was wrong).

    Parameters
    ----------
    client
        Where the attempt came from (e.g. the browser's address), for the per-client limit.
    now
        The time of the attempt (tests pass it to step past the lock window).
    """
    now = now or utcnow()
    name = normalise_username(username)[:254]
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        until = locked_until(conn, name, client, now)
        if until is not None:
            minutes = max(1, int((until - now).total_seconds() // 60) + 1)
            audit.record(conn, _actor(name), "sign_in_failed", f"user {name}", detail="失败次数过多，已暂时锁定")
            raise SignInError(f"登录失败次数过多，已暂时锁定。请约 {minutes} 分钟后再试，或联系管理员。")
        row = _row(conn, name) if name else None
        password_ok = _verify(row.password_hash if row is not None else None, (password or "")[:MAX_PASSWORD + 1])
        ok = password_ok and bool(row.active)
        conn.execute(insert(login_attempts).values(username=name, at=now, ok=ok, client=(client or None) and client[:200]))
        if not ok:
            audit.record(conn, _actor(name), "sign_in_failed", f"user {name}",
                         detail="账户已停用" if row is not None and not row.active else "用户名或密码错误")
        else:
            if _hasher.check_needs_rehash(row.password_hash):
                conn.execute(update(users).where(users.c.id == row.id).values(password_hash=_hasher.hash(password)))
            audit.record(conn, name, "sign_in", f"user {name}", detail="密码登录")
    if not ok:
        if password_ok:  # right password, disabled account: saying so leaks nothing
            raise SignInError("该账户已停用，请联系管理员。")
        raise SignInError("用户名或密码错误。")
    return _user(row)


def _actor(typed: str | None) -> str:
    """Who a failed sign-in is logged as: what was typed, cut to the log's actor column."""
    return (typed or "anonymous")[:64]


def _verify(password_hash: str | None, password: str) -> bool:
    """Check a password; an unknown name is checked against a dummy hash so timing says nothing."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@store_errors
def oidc_user(engine: Engine, email: str | None, *, issuer: str = "") -> User | None:
    """The active account whose e-mail the identity provider vouched for, recording the sign-in.

    Returns None (and logs a failed sign-in) when no active account has that e-mail:
    the person may browse, but has no role.
    """
    address = _check_email(email) if email and EMAIL_RE.match(email.strip()) else None
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        row = conn.execute(select(users).where(users.c.email == address)).first() if address else None
        ok = row is not None and bool(row.active)
        audit.record(conn, row.username if ok else _actor(address), "sign_in" if ok else "sign_in_failed",
                     f"user {row.username if row else address}",
                     detail=f"统一登录（OIDC）{issuer}".strip() if ok else "统一登录的邮箱没有对应的可用账户")
    return _user(row) if ok else None
