"""Walk the project's URLconf: every route with its name, its keyword arguments and the model it shows."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str
    kwargs: tuple[str, ...]
    view: object

    @property
    def model(self):
        view_class = getattr(self.view, "view_class", None) or getattr(self.view, "cls", None)
        if view_class is None:
            return None
        model = getattr(view_class, "model", None)
        if model is None and getattr(view_class, "queryset", None) is not None:
            model = view_class.queryset.model
        return model

    @property
    def view_class(self):
        return getattr(self.view, "view_class", None) or getattr(self.view, "cls", None)

    @property
    def methods(self) -> set[str]:
        """HTTP methods this route answers (DRF routes: their action map; Django views: their handlers)."""
        actions = getattr(self.view, "actions", None)
        if actions:
            return set(actions)
        view_class = self.view_class
        if view_class is None:
            return {"get", "post"}
        return {
            m for m in view_class.http_method_names if hasattr(view_class, m) and m not in ("options", "head")
        }

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


def walk(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    routes: list[Route] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            routes.extend(walk(entry.url_patterns, prefix + str(entry.pattern), ns))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            converters = getattr(entry.pattern, "converters", {}) or entry.pattern.regex.groupindex
            routes.append(Route(name, prefix + str(entry.pattern), tuple(converters), entry.callback))
    return routes


def project_routes() -> list[Route]:
    """Routes of Khizmat's own views (not the Django admin, not static files)."""
    return [
        r
        for r in walk()
        if not r.name.startswith("admin:")
        and (getattr(r.view, "__module__", "").startswith("khizmat") or r.name.startswith("api:"))
        and r.name not in {"api:api-root"}
        and "format" not in r.kwargs
    ]
