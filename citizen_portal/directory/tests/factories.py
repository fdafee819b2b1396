from __future__ import annotations

import functools

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from citizen_portal.accounts.models import Role, User
from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Department,
    Office,
    OutOfScopeGround,
    Position,
    PositionHolding,
    RoutingRule,
    Tier,
)


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier
        django_get_or_create = ("code",)

    code = "punjab"
    reference_prefix = "PB"
    name_en = "Punjab"
    name_ur = "پنجاب"


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PK-X{n}")
    level = AdminUnit.Level.DISTRICT
    name_en = factory.Sequence(lambda n: f"District {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"DEPT-{n}")
    tier = factory.SubFactory(TierFactory)
    kind = "provincial_department"
    name_en = factory.Sequence(lambda n: f"Department {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    code = factory.Sequence(lambda n: f"CAT-{n}")
    department = factory.SubFactory(DepartmentFactory)
    name_en = factory.Sequence(lambda n: f"Category {n}")
    deadline_working_days = 10


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    department = factory.SubFactory(DepartmentFactory)
    name_en = factory.Sequence(lambda n: f"Office {n}")
    jurisdiction = factory.SubFactory(AdminUnitFactory)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    office = factory.SubFactory(OfficeFactory)
    title_en = factory.Sequence(lambda n: f"Officer {n}")


STAFF_PASSWORD = "correct-horse-battery"


@functools.cache
def _staff_password_hash() -> str:
    # One Argon2 hash for the whole run: hashing per officer would cost ~0.1 s each.
    return make_password(STAFF_PASSWORD)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"officer{n}")
    full_name = factory.Sequence(lambda n: f"Officer Number {n}")
    role = Role.OFFICER
    password = factory.LazyFunction(_staff_password_hash)


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    phone = factory.Sequence(lambda n: f"+92300{n:07d}")
    username = factory.LazyAttribute(lambda o: o.phone)
    full_name = factory.Sequence(lambda n: f"Citizen {n}")
    role = Role.CITIZEN


def hold(user: User, position: Position) -> PositionHolding:
    return PositionHolding.objects.create(user=user, position=position, started_at=timezone.now())


def rule(category: Category, area: AdminUnit, position: Position) -> RoutingRule:
    return RoutingRule.objects.create(category=category, area=area, position=position)


# A matter the portal cannot take, as citizens read it in each language.
COURT_REASON = {
    "en": "The portal cannot intervene in court proceedings.",
    "ur": "پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔",
}


def court_matter(department: Department) -> Category:
    """An out-of-scope ground (a matter before a court) and a category of `department` for it."""
    OutOfScopeGround.objects.create(
        code="OOS-COURT",
        name_en="Matter before a court",
        reason_en=COURT_REASON["en"],
        name_ur="عدالت میں زیرِ سماعت معاملہ",
        reason_ur=COURT_REASON["ur"],
    )
    return CategoryFactory(
        code=f"{department.code}.OOS.COURT",
        department=department,
        name_en="Case pending in court",
        name_ur="عدالت میں زیرِ سماعت مقدمہ",
        out_of_scope=True,
    )
