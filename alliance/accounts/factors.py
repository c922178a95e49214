"""Pure rules of the second factor (ADR 0011), without Django: when an authentication
is recent enough for a sensitive action, and when an OpenID Connect provider's `amr`
claim (RFC 8176) says that it checked more than one factor."""

# Methods of authentication by kind of factor (RFC 8176, and ProConnect's "totp").
# An email link ("mail") proves only access to a mailbox: not counted as a factor.
KNOWLEDGE = frozenset({"pwd", "pin", "kba"})
POSSESSION = frozenset({"otp", "totp", "hwk", "swk", "sms", "tel", "sc", "pop"})
INHERENCE = frozenset({"fpt", "face", "iris", "retina", "vbm"})


def amr_is_multi_factor(amr) -> bool:
    """True when the provider says "mfa", or names methods of two kinds of factor
    (something known, held, or being). Anything else, a missing claim included, is
    one factor at most."""
    if isinstance(amr, str):
        amr = [amr]
    if not isinstance(amr, list | tuple):
        return False
    methods = {method for method in amr if isinstance(method, str)}
    if "mfa" in methods:
        return True
    kinds = sum(bool(methods & kind) for kind in (KNOWLEDGE, POSSESSION, INHERENCE))
    return kinds >= 2


def is_recent(authenticated_at, now: float, minutes: int) -> bool:
    """Whether an authentication at `authenticated_at` (seconds since the epoch, or
    None for never) is at most `minutes` old at `now`. A time in the future (a clock
    that moved) is not trusted."""
    if authenticated_at is None:
        return False
    age = now - authenticated_at
    return 0 <= age <= minutes * 60
