import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ESSMS = "essms", _("Social or medico-social establishment or service")
        SERVICE = "service", _("Public service")
        ASSOCIATION = "association", _("Association")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ESSMS)
    territory = models.CharField(
        _("territory"),
        max_length=80,
        blank=True,
        help_text=_("The département or area it serves, e.g. 69 Rhône."),
    )
    # Where its address lies, as INSEE codes: the finest geography a report uses
    # (never the person's own address).
    commune_code = models.CharField(_("INSEE code of the commune"), max_length=5, blank=True)
    commune_name = models.CharField(_("commune"), max_length=120, blank=True)
    epci_code = models.CharField(_("SIREN code of the EPCI"), max_length=9, blank=True)
    epci_name = models.CharField(_("EPCI"), max_length=160, blank=True)
    departement_code = models.CharField(_("département code"), max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email=None, password=None, **fields):
        user = self.model(email=self.normalize_email(email) or None, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("kind", User.Kind.PROFESSIONAL)
        return self.create_user(email, password, **fields)


def new_session_generation() -> str:
    return secrets.token_hex(16)


class User(AbstractBaseUser, PermissionsMixin):
    class Kind(models.TextChoices):
        # A person or a relative: someone who takes part in their own name.
        INDIVIDUAL = "individual", _("Person or relative")
        PROFESSIONAL = "professional", _("Professional")
        DECISION_MAKER = "decision_maker", _("Decision maker")

    # NULL, not "", for people without an email: the unique constraint ignores NULLs.
    email = models.EmailField(_("email"), null=True, blank=True)  # noqa: DJ001
    display_name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    is_org_admin = models.BooleanField(_("organisation administrator"), default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Failed password sign-ins since the last sign-in, and until when the next
    # password attempt is refused (progressive delay, ADR 0010).
    failed_sign_ins = models.PositiveSmallIntegerField(default=0)
    sign_in_delayed_until = models.DateTimeField(null=True, blank=True)
    # Set on demo accounts only, so the demo sign-in buttons can find them.
    demo_persona = models.CharField(max_length=40, blank=True)
    # Part of every session's authentication hash: changing it ends every session of
    # the account at its next request (sign out everywhere, access re-issued), the
    # way Django ends them when the password changes, also for accounts without one.
    session_generation = models.CharField(max_length=32, default=new_session_generation)
    # When the owner first got in (activation letter, or a password or a sign-in of
    # their own): until then the account is "never used" and an ally who invited it
    # may hand its owner an activation letter (alliance.accounts.activation).
    activated_at = models.DateTimeField(null=True, blank=True)
    # Easy-read pages (DESIGN rule 7). None until someone chooses: a person's account
    # turns it on when it becomes the person of an alliance, so the person can do
    # their part alone from the first page; anyone may change it in their settings.
    easy_read = models.BooleanField(_("easy-read pages"), null=True, blank=True)
    # Only to speak to a child the way a child is spoken to ("tu" under 12, in
    # easy-read); optional, set by whoever creates the child's alliance.
    born_on = models.DateField(_("date of birth"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(is_org_admin=False) | models.Q(organisation__isnull=False),
                name="org_admin_has_organisation",
            ),
        ]
        verbose_name = _("user")

    def __str__(self):
        return self.display_name

    @property
    def is_professional(self):
        return self.kind == self.Kind.PROFESSIONAL

    @property
    def is_decision_maker(self):
        return self.kind == self.Kind.DECISION_MAKER

    def age_on(self, day) -> int | None:
        if self.born_on is None:
            return None
        before_birthday = (day.month, day.day) < (self.born_on.month, self.born_on.day)
        return day.year - self.born_on.year - before_birthday

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac(
            "alliance.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def is_sign_in_delayed(self, now=None):
        return self.sign_in_delayed_until is not None and self.sign_in_delayed_until > (
            now or timezone.now()
        )


def hash_secret(secret: str) -> str:
    """Sign-in secrets are stored hashed: a copy of the database opens no account."""
    return hashlib.sha256(secret.encode()).hexdigest()


class SignInSecret(models.Model):
    """A single-use personal link or code for people who do not manage passwords."""

    class Kind(models.TextChoices):
        LINK = "link", _("personal link")
        CODE = "code", _("one-time code")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_secrets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.used_at is None and self.expires_at > now


class UserSession(models.Model):
    """One signed-in browser of an account, for the "my sessions" page. The session
    points at its row (alliance.accounts.sessions); the row holds no session key, so
    a copy of this table opens nothing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions")
    created_at = models.DateTimeField(auto_now_add=True)
    # Written at most once a minute, not at every request.
    last_seen_at = models.DateTimeField()
    device = models.CharField(max_length=80, blank=True)
    # Signed out, ended from another session, or timed out: the session is refused.
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-pk"]
        indexes = [models.Index(fields=["user", "ended_at"], name="user_session_open")]


class ProConnectIdentity(models.Model):
    """The ProConnect identity (`sub`) of a professional account. Linked the first time
    the professional signs in with ProConnect, by the verified email of an account that
    already exists: ProConnect never creates an account (ADR 0011)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="proconnect")
    sub = models.CharField(max_length=255, unique=True)
    linked_at = models.DateTimeField(auto_now_add=True)


class ActivationLetter(models.Model):
    """A short code handed over on paper (or sent by SMS to the owner's phone) to the
    owner of an account that has no email, to get in the first time, or again after
    their access was re-issued (alliance.accounts.activation). Single use; a new
    letter voids the previous one."""

    class Delivery(models.TextChoices):
        PAPER = "paper", _("printed letter")
        SMS = "sms", _("text message")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_letters")
    code_hash = models.CharField(max_length=64, unique=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PAPER)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.used_at is None and self.voided_at is None and self.expires_at > now


class ExpiringCredential(models.Model):
    """What a long-lived secret stored hashed shares: it expires, it may be revoked,
    its last use is noted, newest first."""

    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def is_usable(self, now=None):
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class DeviceCredential(ExpiringCredential):
    """ "Keep this device signed in": a long-lived random token in a cookie of one
    browser, stored hashed; signs its owner in when that browser has no session.
    Revocable from "my sessions", and revoked when access is re-issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_credentials")
    token_hash = models.CharField(max_length=64, unique=True)
    device = models.CharField(max_length=80, blank=True)


class CalendarFeed(models.Model):
    """A user's secret calendar address (ADR 0025): a random token of 256 bits, stored
    hashed, shown once when made. At most one per user; making a new one replaces the
    old (which then finds nothing), revoking deletes it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)


class ApiScope(models.TextChoices):
    # "write" includes reading: a token that may change things may also look.
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


class PersonalAccessToken(ExpiringCredential):
    """A user's key to the API (ADR 0029): a random secret of 256 bits shown once when
    made, stored as its SHA-256; scoped, expiring, revocable from the user's page.
    It acts as its owner and opens exactly what their pages open, never more."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    scope = models.CharField(_("what it may do"), max_length=10, choices=ApiScope.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, shown in the list so the owner can tell their tokens apart.
    prefix = models.CharField(max_length=12)


class ApiClient(models.Model):
    """An organisation's DUI software, registered by the organisation's administrator
    (ADR 0029): OAuth2 client credentials (RFC 6749 §4.4). `client_id` is public;
    the secret is shown once and stored as its SHA-256. Its access tokens only READ,
    and only the alliances of its organisation whose person agreed to the DUI link."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_clients"
    )
    name = models.CharField(_("name"), max_length=80)
    client_id = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("DUI software")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        # What the person reads in their alliance's trail when this software read it.
        return _("DUI software «%(name)s»") % {"name": self.name}


class ApiClientToken(models.Model):
    """An access token granted to a client for one hour, stored as its SHA-256."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
