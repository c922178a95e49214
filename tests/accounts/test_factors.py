"""The pure rules of the second factor (alliance.accounts.factors)."""

import pytest

from alliance.accounts.factors import amr_is_multi_factor, is_recent


@pytest.mark.parametrize(
    ("amr", "expected"),
    [
        (["mfa"], True),
        ("mfa", True),
        (["pwd", "otp"], True),
        (["pwd", "totp"], True),
        (["pin", "hwk"], True),
        (["swk", "fpt"], True),
        (["pwd"], False),
        (["otp"], False),
        (["pwd", "pin"], False),
        (["pwd", "mail"], False),
        (["mail"], False),
        ([], False),
        (None, False),
        ({"mfa": True}, False),
        ([1, 2], False),
    ],
)
def test_multi_factor_means_mfa_or_two_kinds_of_factor(amr, expected):
    assert amr_is_multi_factor(amr) is expected


def test_recent_means_at_most_the_minutes_and_never_in_the_future():
    now = 1_000_000.0
    assert is_recent(now, now, 10)
    assert is_recent(now - 600, now, 10)
    assert not is_recent(now - 601, now, 10)
    assert not is_recent(None, now, 10)
    assert not is_recent(now + 5, now, 10)
