"""Citizens: unique mobile numbers (a few from abroad), names, a preferred language and a home
district, weighted like the census."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

import phonenumbers
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from citizen_portal.accounts.models import Language, Role, User
from citizen_portal.complaints.services.generator import texts
from citizen_portal.complaints.services.generator.clock import Clock
from citizen_portal.complaints.services.generator.world import Weighted, World

ABROAD_SHARE = 0.04
URDU_SHARE = 0.60
EMAIL_SHARE = 0.20
# Share of a citizen's complaints about their home district; the rest are about anywhere.
HOME_SHARE = 0.90
# Accounts opened up to this long before the first generated complaint.
JOINED_SPREAD_DAYS = 730

USER_COLUMNS = (
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
    "email", "is_staff", "is_active", "date_joined", "role", "full_name", "phone",
    "preferred_language",
)  # fmt: skip

_PK_OPERATORS = Weighted(
    [codes for codes, _w in texts.PK_OPERATOR_CODES], [w for _c, w in texts.PK_OPERATOR_CODES]
)
_FOREIGN = Weighted(
    [(code, prefixes, digits) for code, prefixes, digits, _w in texts.FOREIGN_MOBILES],
    [w for *_rest, w in texts.FOREIGN_MOBILES],
)


@dataclass
class Citizens:
    """The generated citizens, in creation order, as parallel lists (a million of them fit)."""

    ids: list[int] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    abroad: list[bool] = field(default_factory=list)
    by_home: dict[int, list[int]] = field(default_factory=dict)  # district → indexes

    def add(self, *, pk: int, language: str, abroad: bool, home: int) -> None:
        self.by_home.setdefault(home, []).append(len(self.ids))
        self.ids.append(pk)
        self.languages.append(language)
        self.abroad.append(abroad)

    def pick(self, district_id: int, rng: Random) -> int:
        """A citizen (index) with a complaint about the district: usually one who lives there.
        Squaring the draw makes a few citizens far more active than the rest."""
        local = self.by_home.get(district_id)
        skew = rng.random() ** 2
        if local and rng.random() < HOME_SHARE:
            return local[int(len(local) * skew)]
        return int(len(self.ids) * skew)


@dataclass(frozen=True, slots=True)
class CitizenDraft:
    phone: str
    full_name: str
    email: str
    language: str
    abroad: bool
    home: int  # district id
    joined: datetime  # local time
    password: str  # unusable: citizens log in with a one-time code


def citizen_drafts(
    *, count: int, world: World, clock: Clock, rng: Random, taken: set[str]
) -> Iterator[CitizenDraft]:
    """`count` new citizens whose numbers are in neither `taken` nor each other."""
    earliest = datetime.combine(clock.first_day, datetime.min.time())
    for _ in range(count):
        abroad = rng.random() < ABROAD_SHARE
        phone = _phone(rng, abroad=abroad)
        while phone in taken:
            phone = _phone(rng, abroad=abroad)
        taken.add(phone)
        first = rng.choice(texts.MALE_NAMES if rng.random() < 0.5 else texts.FEMALE_NAMES)
        last = rng.choice(texts.FAMILY_NAMES)
        email = ""
        if rng.random() < EMAIL_SHARE:
            email = f"{first}.{last}{rng.randrange(100)}@example.com".lower()
        yield CitizenDraft(
            phone=phone,
            full_name=f"{first} {last}",
            email=email,
            language=Language.URDU if rng.random() < URDU_SHARE else Language.ENGLISH,
            abroad=abroad,
            home=world.homes.pick(rng).id,
            joined=earliest - timedelta(seconds=rng.randrange(JOINED_SPREAD_DAYS * 86400)),
            password=f"{UNUSABLE_PASSWORD_PREFIX}{rng.getrandbits(160):040x}",
        )


def citizen_row(pk: int, draft: CitizenDraft, clock: Clock) -> tuple[object, ...]:
    """One accounts_user row, in USER_COLUMNS order: as User.objects.create_citizen makes it."""
    return (
        pk, draft.password, None, False, draft.phone, "", "", draft.email, False, True,
        clock.utc(draft.joined), Role.CITIZEN.value, draft.full_name, draft.phone,
        str(draft.language),
    )  # fmt: skip


def existing_phones() -> set[str]:
    phones = User.objects.filter(phone__isnull=False).values_list("phone", flat=True)
    return {phone for phone in phones if phone}


def _phone(rng: Random, *, abroad: bool) -> str:
    """A mobile number in E.164. Pakistani operator codes are all valid; some foreign prefixes
    have unallocated blocks, so a foreign number is checked and drawn again if invalid."""
    if not abroad:
        operator = rng.choice(_PK_OPERATORS.pick(rng))
        return f"+923{operator:02d}{rng.randrange(10**7):07d}"
    while True:
        code, prefixes, digits = _FOREIGN.pick(rng)
        number = f"{code}{rng.choice(prefixes)}{rng.randrange(10**digits):0{digits}d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number
