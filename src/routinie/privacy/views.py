"""Public pages generated from the registry and the cookie inventory, and the staff's record
of processing activities."""

from itertools import groupby

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from routinie.privacy.cookies import inventory
from routinie.privacy.registry import TABLES, personal_fields


def _by_category() -> list[dict[str, object]]:
    rows = sorted(personal_fields(), key=lambda item: item[2].category)
    return [
        {
            "category": category,
            "fields": [
                {"table": t.holds, "field": name.replace("_", " "), "rule": rule}
                for t, name, rule in group
            ],
        }
        for category, group in groupby(rows, key=lambda item: item[2].category)
    ]


def data_we_keep(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/data.html", {"categories": _by_category()})


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/cookies.html", {"cookies": inventory()})


@staff_member_required
def processing_record(request: HttpRequest) -> HttpResponse:
    """The record of processing activities (GDPR art. 30), from the registry."""
    return render(request, "privacy/processing_record.html", {"tables": TABLES})


def transparency(request: HttpRequest) -> HttpResponse:
    from routinie.privacy.disclosure import transparency_report

    return render(request, "privacy/transparency.html", {"periods": transparency_report()})
