"""People: citizens (who log in with a mobile number and a one-time code) and staff."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    objects: ClassVar[PortalUserManager] = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

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
    def masked_phone(self) -> str:
        return mask_phone(self.phone or "")


def mask_phone(phone: str) -> str:
    """+923001234567 → +923••••••567: enough for its owner to recognise, not to call."""
    if len(phone) < 8:
        return "•" * len(phone)
    return phone[:4] + "•" * (len(phone) - 7) + phone[-3:]


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS to prove a phone number.

    Only a keyed hash (HMAC-SHA256) of the code is stored: a slow password hash would cost
    ~280 ms of CPU per check. The nonce binds the code to the browser session that asked.
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Registration")
        LOGIN = "login", _("Login")

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
