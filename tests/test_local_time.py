"""Local time is a rule of every module: days are cut and times shown in the organization's own time zone.

The server's clock and zone are never the organization's: ``datetime.date.today()``, ``datetime.datetime.now()``
and ``timezone.now().date()`` give the server's day, and outside views (services, selectors, models, tasks, texts,
imports and exports run in background tasks and commands too) ``timezone.localdate()`` / ``timezone.localtime()``
without a zone give whatever zone happens to be active. Use :mod:`khizmat.tenancy.localtime` instead. A new module
that forgets it fails here (see docs/architecture.md, "Local time").
"""

import ast
from pathlib import Path

import khizmat

SOURCE = Path(khizmat.__file__).parent
# Modules that run only inside a request, after the tenant middleware activated the organization's zone.
REQUEST_ONLY = ("views", "forms", "admin", "mixins", "navigation", "context_processors", "templatetags")
# Synthetic demo data picks its own clock on purpose (it builds histories in each organization's zone).
# core/fieldrules.py is plumbing and knows no organization: its "today" (a birth date, a date that already happened)
# is the active zone's, which the tenant middleware or the task's organization_context made the organization's.
ALLOWED_FILES = {"tenancy/localtime.py", "web/management/commands/generate.py", "core/fieldrules.py"}


def _python_files():
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        parts = relative.split("/")
        if "tests" in parts or "migrations" in parts or "testing" in parts or relative in ALLOWED_FILES:
            continue
        if parts[-1] in ("demo.py",) or "demo" in parts[:-1] or "generate" in parts[:-1]:
            continue
        yield relative, path


def _dotted(node) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return f"{_dotted(node.func)}()"
    return "?"


def _request_only(relative: str) -> bool:
    parts = relative.removesuffix(".py").split("/")
    return any(part in REQUEST_ONLY for part in parts)


def offences(relative: str, tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        where = f"{relative}:{node.lineno}"
        if name in ("date.today", "datetime.date.today", "datetime.today", "datetime.datetime.today"):
            found.append(f"{where}: {name}() is the server's day")
        elif name in ("datetime.now", "datetime.datetime.now", "datetime.utcnow", "datetime.datetime.utcnow"):
            found.append(f"{where}: {name}() is the server's clock")
        elif name.endswith(("now().date", "now().time")):
            found.append(f"{where}: {name}() cuts the day in UTC")
        elif name in ("timezone.localdate", "timezone.localtime", "localdate", "localtime") or name in (
            "timezone.make_aware",
            "make_aware",
        ):
            has_zone = len(node.args) >= 2 or any(keyword.arg == "timezone" for keyword in node.keywords)
            if not has_zone and not _request_only(relative):
                found.append(f"{where}: {name}() without the organization's zone outside a view")
        if any(keyword.arg and "_at__date" in keyword.arg for keyword in node.keywords):
            # A ``__date`` lookup on a moment casts in the database session's zone, not the organization's.
            found.append(f"{where}: a __date lookup on a moment: compare with local_day_range()")
        truncates = name in ("TruncDate", "TruncDay", "TruncMonth", "TruncWeek", "TruncYear")
        if truncates and not any(keyword.arg == "tzinfo" for keyword in node.keywords):
            found.append(f"{where}: {name}() without tzinfo= cuts in the active zone")
    return found


def test_no_day_is_cut_outside_the_organizations_zone():
    found = []
    for relative, path in _python_files():
        found += offences(relative, ast.parse(path.read_text(), filename=str(path)))
    assert not found, (
        "Use khizmat.tenancy.localtime (local_today, local_date, local_day_start):\n" + "\n".join(found)
    )


def test_the_guard_catches_each_form():
    code = """
import datetime
from django.utils import timezone
a = datetime.date.today()
b = datetime.datetime.now()
c = timezone.now().date()
d = timezone.localdate()
e = timezone.localdate(moment, zone)
f = TruncDate("created_at")
g = Payment.objects.filter(received_at__date=day)
"""
    found = offences("billing/services.py", ast.parse(code))
    assert len(found) == 6, found
    assert offences("billing/views/cash.py", ast.parse("timezone.localdate()")) == []
