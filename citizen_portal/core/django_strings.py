"""Strings of Django's that citizens' pages show and Django's own Urdu catalogue lacks.

Nothing imports this module: it is here so that `make messages` (makemessages) copies these
msgids into our catalogue, where they get their Urdu; ours is read before Django's, so a
translation here also replaces Django's. Each must be exactly Django's msgid, or it would
never be looked up. core/tests/test_urdu_pages.py finds any that are missing: it renders every
citizen page in Urdu, with its forms empty and wrong.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Form fields (django/forms/fields.py, django/core/validators.py).
FORM_ERRORS = [
    gettext_noop("Enter a valid email address."),
    gettext_noop("Null characters are not allowed."),
    # Django's Urdu has these three, in the old spelling (ھے for ہے); ours replaces it.
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
]
FORM_ERRORS_COUNTED = [
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
]

# The password rules of settings.CITIZEN_PASSWORD_VALIDATORS
# (django/contrib/auth/password_validation.py).
PASSWORD_RULES = [
    gettext_noop("This password is too common."),
]
PASSWORD_RULES_COUNTED = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]
