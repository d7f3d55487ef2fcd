"""Extension points: a lower app asks, a higher app answers.

Apps import only the apps below them (docs/architecture.md, checked by ``lint-imports``). When a page of a lower
app shows something that only a higher app knows — the feedback QR code on an application's receipt (services
asks, feedback answers), the pickup-schedule link in the reports portal's directory (reports asks, fieldwork
answers) — the lower app calls a named hook and the higher app provides it from its ``AppConfig.ready()``.
Every hook is named ``"<asking app>.<what>"`` and documented where it is provided.
"""

from collections.abc import Callable
from typing import Any

_PROVIDERS: dict[str, Callable[..., Any]] = {}


def provide(name: str, function: Callable[..., Any]) -> None:
    """Answer the hook ``name`` with ``function`` (one provider per hook; the last one wins)."""
    _PROVIDERS[name] = function


def call(name: str, /, *args, **kwargs) -> Any:
    """Call the provider of ``name``; a hook nobody provides is a configuration error, not an empty answer."""
    try:
        function = _PROVIDERS[name]
    except KeyError:
        raise LookupError(f"No installed app provides the hook {name!r}.") from None
    return function(*args, **kwargs)
