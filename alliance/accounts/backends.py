from django.contrib.auth.backends import ModelBackend

from . import services


class LockoutAwareEmailBackend(ModelBackend):
    """Email and password sign-in that counts failures and locks the account for a
    while after too many, so that a password cannot be guessed by repetition."""

    def authenticate(self, request, email=None, password=None, username=None, **kwargs):
        return services.check_password_sign_in(email=email or username, password=password)
