from django.contrib.auth.backends import ModelBackend

from . import services


class LockoutAwareEmailBackend(ModelBackend):
    """Email and password sign-in that counts failures and makes each further attempt
    on the account wait longer (ADR 0010), so that a password cannot be guessed by
    repetition and the owner is never locked out."""

    def authenticate(self, request, email=None, password=None, username=None, **kwargs):
        if email is None and username is None:
            # Another way in (a passkey, ProConnect) asked every backend: not ours.
            return None
        return services.check_password_sign_in(email=email or username, password=password)


class DeviceCredentialBackend(ModelBackend):
    """Signs in the owner of a device kept signed in (alliance.accounts.activation),
    from the token of its cookie. Never from a form: only the middleware calls it."""

    def authenticate(self, request, device_token=None, **kwargs):
        if device_token is None:
            return None
        from .activation import user_for_device_token

        return user_for_device_token(device_token)
