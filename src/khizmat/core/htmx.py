"""One context, rendered as a whole page or, for htmx requests, as the partial that page includes."""


class HtmxPartialMixin:
    partial_template_name: str | None = None

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()
