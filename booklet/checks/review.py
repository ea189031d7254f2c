"""Legal review dates: a past next_review is a warning.

Takes the parsed handbook and today's date; gives Problems.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from booklet.errors import Problem, Severity

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck


def check_review(under: UnderCheck) -> list[Problem]:
    review = under.handbook.review
    if review.next_review and review.next_review < under.today:
        return [
            Problem(
                review.next_review_location or review.location,
                f"next_review {review.next_review.isoformat()} has passed; have the handbook "
                "reviewed against the current law, then set a new next_review date",
                Severity.WARNING,
            )
        ]
    return []
