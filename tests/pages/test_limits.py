"""The bound every page list goes through (claims.pages.limits.bounded_rows)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Topic
from claims.pages.limits import bounded_rows
from tests import factories


@pytest.mark.django_db
def test_a_queryset_is_read_in_one_query_of_limit_plus_one_rows():
    for n in range(5):
        factories.TopicFactory(slug=f"topic-{n}", name=f"Topic {n}")
    with CaptureQueriesContext(connection) as queries:
        rows, more = bounded_rows(Topic.objects.order_by("slug"), 3)
    assert [t.slug for t in rows] == ["topic-0", "topic-1", "topic-2"] and more
    assert len(queries) == 1 and "LIMIT 4" in queries[0]["sql"]
    assert bounded_rows(Topic.objects.order_by("slug"), 5) == (list(Topic.objects.order_by("slug")), False)


def test_an_endless_iterable_is_read_no_further_than_needed():
    def endless():
        n = 0
        while True:
            yield n
            n += 1

    assert bounded_rows(endless(), 3) == ([0, 1, 2], True)
    with pytest.raises(ValueError):
        bounded_rows([], 0)
