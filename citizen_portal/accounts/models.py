"""People: citizens (who log in with a mobile number and a one-time code) and staff."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.identity import DocumentType

# Usernames of citizen accounts the mail room made for the senders of letters (mailroom/): no
# password, no profile, a number typed from the letter and never trusted.
LETTER_ACCOUNT_PREFIX = "letter-"


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    OFFICER = "officer", _("Officer")
    FOCAL_PERSON = "focal_person", _("Focal person")
    AGENT = "agent", _("Call-centre agent")
    DATA_ENTRY = "data_entry", _("Data-entry operator")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    URDU = "ur", _("Urdu")


class PortalUserManager(UserManager["User"]):
    def create_citizen(self, *, phone: str, full_name: str, **extra: Any) -> User:
        # Citizens never have a password: they prove the phone with a one-time code.
        user = self.model(username=phone, phone=phone, full_name=full_name, **extra)
        user.role = Role.CITIZEN
        user.set_unusable_password()
        user.save()
        return user

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """One account per person.

    Citizens' username is their phone number in E.164 (so it starts with "+"); staff usernames
    never start with "+" (enforced by the staff forms), so the two never collide.
    """

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CITIZEN)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # E.164, e.g. +923001234567. Unique where present: one account per number.
    phone = models.CharField(_("mobile number"), max_length=16, unique=True, null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    # False for a citizen whose number SMS could not reach: they proved an e-mail address
    # instead, and an authenticator app replaces SMS codes as their second factor.
    phone_verified = models.BooleanField(_("mobile number verified"), default=True)
    # Staff whose administrative work is limited to one tier (a province's administrators and
    # analysts); empty means national. See accounts/permissions.py.
    scope_tier = models.ForeignKey(
        "directory.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("limited to tier"),
    )
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Part of every session's proof of login (_get_session_auth_hash): raising it ends every
    # web session of the account at its next request (accounts/services/sessions.py).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # A citizen blocked for abuse keeps their account and may read their complaints, but may
    # not lodge or write (accounts/services/lifecycle.py). Blocked staff are made inactive.
    blocked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[PortalUserManager] = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # Whether another account has proved an address (services/emails.py): only proved
            # addresses are looked up, and few accounts have one.
            models.Index(
                fields=["email"],
                condition=models.Q(email_verified_at__isnull=False),
                name="user_proved_email",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's hash of the password, with the session epoch: a new password ends every
        session, and so does a raised epoch (block, change of number, of privileges…)."""
        key_salt = "citizen_portal.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def clean(self) -> None:
        super().clean()
        if self.role != Role.CITIZEN and self.username.startswith("+"):
            raise ValidationError(
                {"username": _("Staff usernames may not start with “+”: that marks a phone.")}
            )

    @property
    def is_citizen(self) -> bool:
        return self.role == Role.CITIZEN

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone or "")


def mask_phone(phone: str) -> str:
    """+923001234567 → +923••••••567: enough for its owner to recognise, not to call."""
    if len(phone) < 8:
        return "•" * len(phone)
    return phone[:4] + "•" * (len(phone) - 7) + phone[-3:]


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS to prove a phone number (or, with `email` set, by e-mail to
    prove an address).

    Only a keyed hash (HMAC-SHA256) of the code is stored: a slow password hash would cost
    ~280 ms of CPU per check. The nonce binds the code to the browser session that asked.
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Registration")
        LOGIN = "login", _("Login")
        # A citizen proving a new e-mail address for their account (accounts/services/emails.py).
        EMAIL = "email", _("E-mail address change")
        RESET = "reset", _("Password reset")
        # Proving the old and the new number when a citizen changes their number.
        CHANGE = "change", _("Mobile number change")

    phone = models.CharField(max_length=16)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    # SHA-256 of the random nonce kept in the browser session that asked for the code.
    nonce_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    # The SMS that carries it: the waiting page tells the citizen when delivery failed.
    sms = models.ForeignKey(
        "notifications.SmsMessage", null=True, blank=True, on_delete=models.SET_NULL
    )
    # Set when the code went by e-mail instead of SMS (the number could not be reached).
    email = models.EmailField(blank=True)
    # The address that asked, to limit how many codes one client can have sent.
    requested_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [
            # Rate limit: codes sent to one phone in the last hour.
            models.Index(fields=["phone", "created_at"], name="otp_phone_created"),
            # Rate limit: codes one address asked for in the last hour.
            models.Index(fields=["requested_ip", "created_at"], name="otp_ip_created"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} code for {mask_phone(self.phone)}"


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    TRANSGENDER = "transgender", _("Transgender")
    UNSAID = "unsaid", _("Prefer not to say")


class CitizenProfile(models.Model):
    """Who a citizen is. The document number is stored encrypted (accounts/crypto.py) and found
    through a keyed hash; nobody reads it from the database without the keys."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    document_type = models.CharField(max_length=10, choices=DocumentType.choices)
    document_encrypted = models.TextField()
    # Keyed hash of the document (blind index). Unique among active accounts: an account that
    # is deactivated gives its hash up, so the person can register again.
    document_index = models.CharField(max_length=64, null=True, blank=True, unique=True)
    document_masked = models.CharField(max_length=32)
    nationality = models.ForeignKey(
        "directory.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        to_field="code",
        db_column="nationality_code",
    )
    gender = models.CharField(max_length=12, choices=Gender.choices)
    date_of_birth = models.DateField()
    home_district = models.ForeignKey(
        "directory.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country_of_residence = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        related_name="residents",
        to_field="code",
        db_column="country_of_residence_code",
    )

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.document_masked})"


class DocumentReveal(models.Model):
    """Every time a staff member saw a full document number, and why."""

    profile = models.ForeignKey(CitizenProfile, on_delete=models.CASCADE, related_name="reveals")
    viewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document reveal")
        verbose_name_plural = _("document reveals")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.viewer} saw {self.profile_id} at {self.at:%Y-%m-%d %H:%M}"


class TrustedDevice(models.Model):
    """A browser or phone where the citizen proved their number with a code. Logging in from
    it needs only the password; anywhere else also needs a code."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    # SHA-256 of the random token kept in the device's cookie.
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("trusted device")
        verbose_name_plural = _("trusted devices")

    def __str__(self) -> str:
        return f"{self.user}: {self.label[:40]}"


class StaffTotp(models.Model):
    """A staff member's authenticator app (TOTP, RFC 6238): the mandatory second factor."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    secret_encrypted = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last 30-second step whose code was accepted: a code is never accepted twice.
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"{self.user}: {'confirmed' if self.confirmed_at else 'not confirmed'}"


class RecoveryCode(models.Model):
    """Single-use codes for a staff member who lost their phone; only a hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.user}: {'used' if self.used_at else 'unused'}"


class AccountEvent(models.Model):
    """What happened to an account, by whom and why: the audit trail of the account lifecycle."""

    class Action(models.TextChoices):
        DEACTIVATED = "deactivated", _("Deactivated by its owner")
        BLOCKED = "blocked", _("Blocked by an administrator")
        UNBLOCKED = "unblocked", _("Unblocked by an administrator")
        EXPORTED = "exported", _("Data exported by its owner")
        PHONE_CHANGED = "phone_changed", _("Mobile number changed by its owner")
        PHONE_RELEASED = "phone_released", _("Unproved number taken by whoever received its SMS")
        EMAIL_CHANGED = "email_changed", _("E-mail address changed by its owner")
        EMAIL_REMOVED = "email_removed", _("E-mail address removed by its owner")
        NAME_CHANGED = "name_changed", _("Name changed by its owner")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_events")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user}: {self.action} at {self.at:%Y-%m-%d %H:%M}"
