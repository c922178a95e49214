"""Passing the second factor through the pages, as a professional does after their
password: an authenticator app of theirs and its current code."""

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def pass_second_factor(client, user):
    # A device per browser: a code is accepted once per device and per 30 seconds.
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post(reverse("mfa:verify"), {"code": current_code(device)})
    assert response.status_code == 302, response
    return device
