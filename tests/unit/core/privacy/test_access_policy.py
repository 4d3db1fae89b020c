"""Minimized views per role and case purpose, the training gate, break-glass and the policy parser."""
from __future__ import annotations

import pytest

from trustdesk.core.model import Role
from trustdesk.core.privacy.access_policy import (
    AccessDenied,
    Visibility,
    minimize,
    parse_access_policy,
)
from trustdesk.core.privacy.policy import load_policy
from trustdesk.core.privacy.policy_table import PolicyError

RECORD = {
    "name": "Jane Doe",
    "email": "jane.doe@example.com",
    "phone": "+1 415 555 0134",
    "address": "1 Main St, Springfield",
    "date_of_birth": "1984-05-17",
    "account_number": "ACC-0099887766",
    "country": "US",
}
DEFAULT = load_policy("default").access
PCI = load_policy("pci_dss").access


def view(role: Role, purpose: str = "general", *, policy=DEFAULT, trained: bool = True, glass: bool = False):
    return minimize(RECORD, role=role, purpose=purpose, policy=policy, has_current_training=trained,
                    break_glass=glass)


@pytest.mark.parametrize(
    ("role", "purpose", "expected"),
    [
        (Role.AGENT, "general", {"name": "Jane Doe", "email": "j***@example.com", "phone": "***0134",
                                 "country": "US"}),
        (Role.AGENT, "billing", {"name": "Jane Doe", "email": "j***@example.com", "phone": "***0134",
                                 "address": "***, Springfield", "account_number": "***7766",
                                 "country": "US"}),
        (Role.AGENT, "shipping", {"name": "Jane Doe", "email": "j***@example.com", "phone": "***0134",
                                  "address": "1 Main St, Springfield", "country": "US"}),
        (Role.QA_ANALYST, "billing", {"name": "J. D.", "country": "US"}),
        (Role.AUDITOR, "general", {"country": "US"}),
        (Role.PRIVACY_OFFICER, "general", RECORD),
        (Role.SUPERVISOR, "general", {"name": "Jane Doe", "email": "jane.doe@example.com",
                                      "phone": "+1 415 555 0134", "address": "***, Springfield",
                                      "date_of_birth": "1984-**-**", "account_number": "***7766",
                                      "country": "US"}),
    ],
)
def test_view_per_role_and_purpose(role: Role, purpose: str, expected: dict[str, str]) -> None:
    result = view(role, purpose)
    assert dict(result.values) == expected
    assert result.shown_fields == tuple(expected)


def test_agents_see_least_of_the_case_handling_roles() -> None:
    def in_full(role: Role) -> set[str]:
        result = view(role)
        return set(result.shown_fields) - set(result.masked_fields)

    for role in (Role.SUPERVISOR, Role.BRAND_MANAGER, Role.PRIVACY_OFFICER):
        assert set(view(Role.AGENT).shown_fields) <= set(view(role).shown_fields)
        assert in_full(Role.AGENT) <= in_full(role)


@pytest.mark.parametrize("role", list(Role))
def test_without_training_no_personal_field_is_shown(role: Role) -> None:
    result = view(role, "billing", trained=False)
    assert set(result.shown_fields) <= {"country"}
    assert not result.discloses_personal_data


def test_training_gate_holds_under_break_glass() -> None:
    assert view(Role.SUPERVISOR, trained=False, glass=True).shown_fields == ("country",)


def test_break_glass_shows_everything_and_is_flagged() -> None:
    result = view(Role.SUPERVISOR, glass=True)
    assert dict(result.values) == RECORD and result.break_glass and not view(Role.SUPERVISOR).break_glass


@pytest.mark.parametrize("role", [Role.AGENT, Role.QA_ANALYST, Role.AUDITOR, Role.ADMIN])
def test_break_glass_is_refused_to_roles_without_it(role: Role) -> None:
    with pytest.raises(AccessDenied, match=role.value):
        view(role, glass=True)


def test_always_masked_caps_every_role_even_under_break_glass() -> None:
    assert view(Role.PRIVACY_OFFICER, policy=PCI).values["account_number"] == "***7766"
    assert view(Role.SUPERVISOR, policy=PCI, glass=True).values["account_number"] == "***7766"


def test_empty_values_are_not_listed_as_shown() -> None:
    result = minimize({"name": "Jane Doe", "email": None, "phone": ""}, role=Role.SUPERVISOR,
                      purpose="general", policy=DEFAULT, has_current_training=True, break_glass=False)
    assert result.shown_fields == ("name",)


def test_unknown_record_fields_are_refused_not_passed_through() -> None:
    with pytest.raises(ValueError, match="ssn"):
        minimize({**RECORD, "ssn": "123-45-6789"}, role=Role.AGENT, purpose="general", policy=DEFAULT,
                 has_current_training=True, break_glass=False)


def test_unlisted_roles_and_fields_are_hidden() -> None:
    policy = parse_access_policy('[access.roles.agent."*"]\nname = "visible"\n')
    assert policy.visibility(role=Role.AGENT, purpose="billing", field="email") is Visibility.HIDDEN
    assert policy.visibility(role=Role.SUPERVISOR, purpose="billing", field="name") is Visibility.HIDDEN
    assert policy.visibility(role=Role.AGENT, purpose="billing", field="name") is Visibility.VISIBLE


def test_purpose_rule_overrides_the_any_purpose_rule_field_by_field() -> None:
    policy = parse_access_policy(
        '[access.roles.agent."*"]\nname = "visible"\nphone = "masked"\n'
        '[access.roles.agent.billing]\nphone = "hidden"\n'
    )
    assert policy.visibility(role=Role.AGENT, purpose="billing", field="phone") is Visibility.HIDDEN
    assert policy.visibility(role=Role.AGENT, purpose="billing", field="name") is Visibility.VISIBLE


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[access.roles.agent."*"]\nname = "visble"\n', 'access.roles.agent."*".name'),
        ('[access.roles.agent.billing]\nsocial = "visible"\n', "access.roles.agent.billing.social"),
        ('[access.roles.janitor."*"]\nname = "visible"\n', "access.roles.janitor"),
        ('[access]\nalways_masked = ["pin"]\n[access.roles]\n', "access.always_masked"),
        ('[access]\nbreak_glass_roles = ["boss"]\n[access.roles]\n', "access.break_glass_roles"),
        ('[access]\nroles = 3\n', "access.roles"),
        ('[access]\nwho = 1\n[access.roles]\n', "access.who"),
        ("[other]\n", "access"),
        ("not toml [", "(document)"),
    ],
)
def test_parse_errors_name_the_key(text: str, key: str) -> None:
    with pytest.raises(PolicyError) as raised:
        parse_access_policy(text)
    assert raised.value.key == key
