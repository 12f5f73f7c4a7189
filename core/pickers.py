"""Search-as-you-type pickers: a select that holds only a few options, with a search box beside it.

A form field that could offer every member or organization of a district (150,000 members at 5,000 organizations)
keeps its whole scoped queryset for validation, but its widget renders only the option already chosen and the first
matches of what was typed (``offer``). With JavaScript the search box asks a small endpoint of the app for the
matching ``<option>``s as you type (htmx, ``search_url``); without it, the box's 搜索 button posts the form back and
the page comes again with what was typed kept and the select filled with the matches (``searched``: such a post
saves nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# The endpoint answers at most this many matches; a form shown without a search offers up to FIRST_OPTIONS (a
# branch's whole roster fits, a district's does not).
SEARCH_LIMIT = 20
FIRST_OPTIONS = 50
SEARCH_BUTTON = "_search"  # the name of the fallback's submit button: a post with it is a search, never a save


class SearchSelect(forms.Select):
    """A ``<select>`` with a search box and a 搜索 button before it (``partybuild/widgets/search_select.html``)."""

    template_name = "partybuild/widgets/search_select.html"

    def __init__(self, *, search_url: str = "", placeholder: str = "输入名称搜索", attrs: Any = None) -> None:
        super().__init__(attrs)
        self.search_url = search_url
        self.placeholder = placeholder
        self.query = ""
        self.more = False

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        # The project's template engine (the form renderer's own engine does not see templates/).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            search_url=self.search_url,
            query_name=query_name(name),
            query=self.query,
            placeholder=self.placeholder,
            more=self.more,
            button=SEARCH_BUTTON,
        )
        return context


def query_name(field_name: str) -> str:
    """The search box's name beside a picker field (``member`` → ``member_q``)."""
    return f"{field_name}_q"


def searched(request: HttpRequest) -> bool:
    """Whether this request is the no-JavaScript search of a picker (its 搜索 button): show the form again."""
    return request.method == "POST" and SEARCH_BUTTON in request.POST


def form_data(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    """(data, initial) for a form with pickers: a search post is shown again unbound, what was typed as initial
    values (nothing validated, nothing saved); any other post is bound as usual."""
    if searched(request):
        return None, {k: v if len(v) > 1 else v[0] for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    return request.POST or None, {}


def typed(request: HttpRequest, field_name: str) -> str:
    """What was typed in the picker's search box (from a search post, or a GET)."""
    source = request.POST if request.method == "POST" else request.GET
    return source.get(query_name(field_name), "").strip()[:50]


def offer(
    field: forms.ModelChoiceField,
    matches: Iterable[Any] | None,
    *,
    chosen: Iterable[Any] = (),
    label: Callable[[Any], str] = str,
    limit: int = FIRST_OPTIONS,
    query: str = "",
) -> None:
    """Give ``field``'s widget only ``chosen`` (what the bound value already names) and up to ``limit`` of
    ``matches`` as options (``matches`` may hold one more, which only says there are more; None: too many to list,
    type to search). The field keeps its queryset: a value outside the options but inside the scope is still
    accepted, one outside is refused."""
    rows = list(matches) if matches is not None else []
    widget = field.widget
    widget.more = matches is None or len(rows) > limit
    widget.query = query
    shown = list(dict.fromkeys([*chosen, *rows[:limit]]))
    widget.choices = [("", "请选择")] + [(obj.pk, label(obj)) for obj in shown]


def options_response(
    matches: Iterable[Any] | None, *, label: Callable[[Any], str] = str, empty: str = "没有匹配的结果"
) -> HttpResponse:
    """The endpoint's answer: the ``<option>``s of up to ``SEARCH_LIMIT`` matches (one more only says there are
    more; None: nothing typed where there are too many to list), for htmx to put in the picker's select."""
    if matches is None:
        return HttpResponse(render_to_string("partybuild/widgets/search_options.html", {"empty": "请输入名称搜索"}))
    matches = list(matches)
    html = render_to_string(
        "partybuild/widgets/search_options.html",
        {
            "options": [(obj.pk, label(obj)) for obj in matches[:SEARCH_LIMIT]],
            "more": len(matches) > SEARCH_LIMIT,
            "empty": empty,
        },
    )
    return HttpResponse(html)
