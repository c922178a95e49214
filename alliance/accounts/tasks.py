"""Background work of accounts, run by the task worker."""

from django_tasks import task


@task()
def send_sign_in_code(email: str):
    from .services import send_sign_in_code_now

    send_sign_in_code_now(email=email)
