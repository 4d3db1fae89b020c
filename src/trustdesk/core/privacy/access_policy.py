"""Purpose-bound, minimized views of a customer: role x case purpose -> visible, masked or hidden per field.

The matrix fails closed: a role, purpose or field the policy does not mention is hidden. Without current
privacy training every personal field is hidden whatever the role (no role is exempt), and break-glass
never bypasses that gate.
"""
from __future__ import annotations

import enum
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from trustdesk.core.model import Role
from trustdesk.core.privacy.masking import mask_value
from trustdesk.core.privacy.policy_table import (
    PolicyError,
    join_key,
    read_choices,
    read_table,
    reject_unknown_keys,
)


class Visibility(str, enum.Enum):
    HIDDEN = "hidden"
    MASKED = "masked"
    VISIBLE = "visible"


# Canonical order of the customer fields; every view and audit entry lists fields in this order.
CUSTOMER_FIELDS: tuple[str, ...] = (
    "name",
    "email",
    "phone",
    "address",
    "date_of_birth",
    "account_number",
    "country",
)
# Country alone does not identify a person (see CustomerRecord.personal_fields), so the training gate
# leaves it to the matrix.
PERSONAL_FIELDS: tuple[str, ...] = tuple(field for field in CUSTOMER_FIELDS if field != "country")
ANY_PURPOSE = "*"

_RANK = {Visibility.HIDDEN: 0, Visibility.MASKED: 1, Visibility.VISIBLE: 2}


@dataclass(frozen=True)
class AccessPolicy:
    """The visibility matrix plus the policy-wide caps and the roles allowed to break glass."""

    # role -> purpose (or ANY_PURPOSE) -> field -> visibility, only what the policy states.
    matrix: Mapping[Role, Mapping[str, Mapping[str, Visibility]]]
    always_masked: tuple[str, ...] = ()
    break_glass_roles: tuple[Role, ...] = ()

    def visibility(self, *, role: Role, purpose: str, field: str) -> Visibility:
        """The stated visibility for one cell: the purpose's rule, else the role's ``*`` rule, else hidden."""
        rules = self.matrix.get(role, {})
        for key in (purpose, ANY_PURPOSE):
            stated = rules.get(key, {}).get(field)
            if stated is not None:
                return stated
        return Visibility.HIDDEN


@dataclass(frozen=True)
class MinimizedView:
    """What one viewer may see of one customer, and what to write in the audit entry about it."""

    values: Mapping[str, str]  # visible or masked values, in CUSTOMER_FIELDS order
    masked_fields: tuple[str, ...]
    shown_fields: tuple[str, ...]  # fields whose (possibly masked) value was disclosed
    break_glass: bool

    @property
    def discloses_personal_data(self) -> bool:
        """Whether the view shows any personal field, i.e. whether reading it must be audited."""
        return any(field in PERSONAL_FIELDS for field in self.shown_fields)


class AccessDenied(PermissionError):
    """The viewer asked for an access the policy does not grant (e.g. break-glass by a role without it)."""


def minimize(
    record: Mapping[str, str | None],
    *,
    role: Role,
    purpose: str,
    policy: AccessPolicy,
    has_current_training: bool,
    break_glass: bool,
) -> MinimizedView:
    """The fields of ``record`` this viewer may see for this case purpose, masked or dropped per policy."""
    unknown = sorted(set(record) - set(CUSTOMER_FIELDS))
    if unknown:
        raise ValueError(f"record has fields outside the access policy: {', '.join(unknown)}")
    if break_glass and role not in policy.break_glass_roles:
        raise AccessDenied(f"role {role.value!r} may not use break-glass access")
    values: dict[str, str] = {}
    masked: list[str] = []
    for field in CUSTOMER_FIELDS:
        value = record.get(field)
        if value is None or value == "":
            continue
        level = _effective_visibility(
            field, role=role, purpose=purpose, policy=policy,
            has_current_training=has_current_training, break_glass=break_glass,
        )
        if level is Visibility.VISIBLE:
            values[field] = value
        elif level is Visibility.MASKED:
            values[field] = mask_value(field, value)
            masked.append(field)
    return MinimizedView(
        values=MappingProxyType(values),
        masked_fields=tuple(masked),
        shown_fields=tuple(values),
        break_glass=break_glass,
    )


def _effective_visibility(
    field: str,
    *,
    role: Role,
    purpose: str,
    policy: AccessPolicy,
    has_current_training: bool,
    break_glass: bool,
) -> Visibility:
    if field in PERSONAL_FIELDS and not has_current_training:
        return Visibility.HIDDEN
    level = Visibility.VISIBLE if break_glass else policy.visibility(role=role, purpose=purpose, field=field)
    if field in policy.always_masked and _RANK[level] > _RANK[Visibility.MASKED]:
        return Visibility.MASKED
    return level


def parse_access_table(table: Mapping[str, Any], *, parent: str) -> AccessPolicy:
    """Read an ``[access]`` table: ``roles.<role>.<purpose or "*">.<field> = visible|masked|hidden``."""
    reject_unknown_keys(table, parent=parent, known=("always_masked", "break_glass_roles", "roles"))
    always_masked = read_choices(table, "always_masked", parent=parent, choices=CUSTOMER_FIELDS)
    break_glass = read_choices(
        table, "break_glass_roles", parent=parent, choices=[role.value for role in Role]
    )
    roles_key = join_key(parent, "roles")
    roles = read_table(table, "roles", parent=parent)
    reject_unknown_keys(roles, parent=roles_key, known=[role.value for role in Role])
    matrix: dict[Role, Mapping[str, Mapping[str, Visibility]]] = {}
    for role in Role:
        if role.value not in roles:
            continue
        role_key = join_key(roles_key, role.value)
        purposes = read_table(roles, role.value, parent=roles_key)
        matrix[role] = MappingProxyType(
            {purpose: _parse_rule(purposes, purpose, parent=role_key) for purpose in sorted(purposes)}
        )
    return AccessPolicy(
        matrix=MappingProxyType(matrix),
        always_masked=always_masked,
        break_glass_roles=tuple(Role(value) for value in break_glass),
    )


def _parse_rule(purposes: Mapping[str, Any], purpose: str, *, parent: str) -> Mapping[str, Visibility]:
    key = join_key(parent, purpose)
    fields = read_table(purposes, purpose, parent=parent)
    reject_unknown_keys(fields, parent=key, known=CUSTOMER_FIELDS)
    rule: dict[str, Visibility] = {}
    for field in CUSTOMER_FIELDS:
        if field not in fields:
            continue
        raw = fields[field]
        try:
            rule[field] = Visibility(raw)
        except ValueError:
            raise PolicyError(
                join_key(key, field), f"{raw!r} is not one of visible, masked, hidden"
            ) from None
    return MappingProxyType(rule)


def parse_access_policy(text: str) -> AccessPolicy:
    """Parse the ``[access]`` table of a policy TOML text (see docs/privacy.md for the layout)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError("(document)", f"not valid TOML: {error}") from None
    return parse_access_table(read_table(document, "access", parent=""), parent="access")
