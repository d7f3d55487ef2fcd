"""An import-linter contract type for the boundaries between Khizmat's apps (docs/architecture.md).

Between two apps, an import may name only

* a **public module** of the other app: its first dotted part after the app is in ``public_modules`` (``models``,
  ``choices``, ``services``, ``selectors``…; never ``views``, ``urls``, ``admin``, ``tasks``, ``api``, ``tests``);
  the packages in ``plumbing`` (``khizmat.core``, ``khizmat.api``…) are public throughout;
* a **public name**: ``from khizmat.<app>… import _name`` reaches into another app's internals, which may change
  without notice. Shared data and helpers become public names of the app that owns them (e.g.
  ``khizmat.tenancy.demo_people.STREETS``).

Import-linter's graph knows modules, not names, so the check reads each module's source with :mod:`ast`. Imports
inside one app, relative imports, ``_`` itself (gettext) and the modules matching ``ignore_modules`` (fnmatch; the
tests) are not checked. Configured in pyproject.toml, run by ``lint-imports`` in ``make lint``.
"""

import ast
import fnmatch
from importlib.util import find_spec
from pathlib import Path

from importlinter import Contract, ContractCheck, fields, output


def app_of(module: str) -> str:
    """``khizmat.billing`` for ``khizmat.billing.views.cash``."""
    return ".".join(module.split(".")[:2])


def _source(root: Path, root_name: str, module: str) -> Path | None:
    relative = Path(*module.split(".")[1:]) if module != root_name else Path()
    for candidate in (root / relative / "__init__.py", (root / relative).with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def boundary_violations(
    module: str, source: str, *, root_name: str, public_modules: set[str], plumbing: set[str]
) -> list[dict]:
    """Every import in ``module``'s ``source`` that crosses into another app's private module or name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            targets = [(node.module, [alias.name for alias in node.names])]
        elif isinstance(node, ast.Import):
            targets = [(alias.name, []) for alias in node.names]
        else:
            continue
        for imported, names in targets:
            parts = imported.split(".")
            if parts[0] != root_name or len(parts) < 2 or app_of(imported) == app_of(module):
                continue
            line = {"importer": module, "imported": imported, "line": node.lineno}
            if app_of(imported) not in plumbing:
                # ``from khizmat.queue import selectors`` names the module in the imported names.
                first = parts[2] if len(parts) > 2 else None
                candidates = [first] if first else names
                private_modules = [name for name in candidates if name not in public_modules]
                if private_modules:
                    found.append(
                        {
                            **line,
                            "what": f"{', '.join(private_modules)}: not a public module of {app_of(imported)}",
                        }
                    )
                    continue
            private_names = [name for name in names if name.startswith("_") and name != "_"]
            if private_names:
                found.append({**line, "what": f"{', '.join(private_names)}: a private name"})
    return found


class AppBoundariesContract(Contract):
    public_modules = fields.ListField(subfield=fields.StringField())
    plumbing = fields.ListField(subfield=fields.StringField(), required=False, default=[])
    ignore_modules = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph, verbose: bool) -> ContractCheck:
        violations = []
        for root_name in self.session_options["root_packages"]:
            root = Path(find_spec(root_name).origin).parent
            for module in sorted(m for m in graph.modules if m.startswith(root_name + ".")):
                if any(fnmatch.fnmatchcase(module, pattern) for pattern in self.ignore_modules):
                    continue
                path = _source(root, root_name, module)
                if path is not None:
                    violations += boundary_violations(
                        module,
                        path.read_text(encoding="utf-8"),
                        root_name=root_name,
                        public_modules=set(self.public_modules),
                        plumbing=set(self.plumbing),
                    )
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error("{importer} -> {imported} (l.{line}) — {what}".format(**violation), bold=False)
            output.new_line()
