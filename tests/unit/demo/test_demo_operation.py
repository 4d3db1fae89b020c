from datetime import date

import pytest

from trustdesk.core.model import IN_HOUSE_VENDOR, Channel, Priority, Role
from trustdesk.demo.operation import PURPOSES, build_operation
from trustdesk.demo.staffing import TEAM_PLANS

END = date(2026, 11, 20)


@pytest.fixture(scope="module")
def operation():
    return build_operation(11, end=END, customers=400, interactions=100)


def test_same_seed_builds_the_same_operation_and_another_seed_does_not() -> None:
    first = build_operation(5, end=END, customers=200)
    assert first == build_operation(5, end=END, customers=200)
    assert first != build_operation(6, end=END, customers=200)


def test_period_ends_on_the_given_day(operation) -> None:
    assert operation.end == END
    assert operation.days == 60
    assert operation.start == date(2026, 9, 22)


def test_two_brands_and_three_bpos_in_three_countries_plus_in_house(operation) -> None:
    assert [brand.key for brand in operation.brands] == ["acme", "globex"]
    bpos = [vendor for vendor in operation.vendors if vendor.key != IN_HOUSE_VENDOR]
    assert len(bpos) == 3
    assert len({vendor.country for vendor in bpos}) == 3
    assert IN_HOUSE_VENDOR in {vendor.key for vendor in operation.vendors}


def test_vendors_carry_contract_documents(operation) -> None:
    for vendor in operation.vendors:
        assert vendor.sites and vendor.certifications and vendor.legal_name
        assert vendor.dpa_signed_on < END and vendor.nda_signed_on < END
        assert {target.priority for target in vendor.sla_targets} == set(Priority)
        assert all(t.first_response_minutes < t.resolution_minutes for t in vendor.sla_targets)
    expiries = [cert.expires_on for vendor in operation.vendors for cert in vendor.certifications]
    assert any(day < END for day in expiries), "the demo should show an expired certification"


def test_agents_are_staffed_with_languages_skills_and_channels(operation) -> None:
    assert len(operation.agents) == 60
    assert len({agent.external_id for agent in operation.agents}) == 60
    for agent in operation.agents:
        assert agent.languages and all(1 <= skill.proficiency <= 5 for skill in agent.languages)
        assert set(agent.skills) <= set(PURPOSES) and agent.skills
        assert {capacity.channel for capacity in agent.capacity} == set(agent.channels)
        assert agent.shift.length.total_seconds() > 0
    teams = {team.key for team in operation.teams}
    assert {agent.team for agent in operation.agents} == teams
    for team in teams:
        staff = [agent for agent in operation.agents if agent.team == team]
        assert {channel for agent in staff for channel in agent.channels} == set(Channel)


def test_every_brand_language_has_a_qualified_speaker(operation) -> None:
    for customer in operation.customers:
        assert any(agent.brand == customer.brand and agent.proficiency(customer.language) >= 3
                   for agent in operation.agents), (customer.brand, customer.language)


def test_conduct_varies_within_each_vendor(operation) -> None:
    for vendor in {agent.vendor for agent in operation.agents}:
        resolves = [agent.conduct.resolves for agent in operation.agents if agent.vendor == vendor]
        assert max(resolves) - min(resolves) > 0.1, vendor


def test_customers_have_every_personal_field(operation) -> None:
    assert len(operation.customers) == 400
    for customer in operation.customers:
        fields = customer.to_contract()
        assert set(fields) == {"external_id", "name", "email", "phone", "address", "date_of_birth",
                               "account_number", "country"}
        assert all(fields.values())
    assert len({customer.country for customer in operation.customers}) >= 8


def test_users_cover_every_role_with_vendor_scope_for_vendor_staff(operation) -> None:
    for brand in ("acme", "globex"):
        roles = {user.role for user in operation.users if user.brand == brand}
        assert roles == set(Role)
    for user in operation.users:
        is_vendor_role = user.role in (Role.VENDOR_MANAGER, Role.AGENT)
        assert (user.vendor is not None) or not is_vendor_role
    assert len({user.username for user in operation.users}) == len(operation.users)
    agent_ids = {agent.external_id for agent in operation.agents}
    assert all(user.agent_external_id in agent_ids for user in operation.users if user.role is Role.AGENT)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"days": 0}, "days"),
        ({"agents": len(TEAM_PLANS) - 1}, "agents"),
        ({"customers": 0}, "customers"),
        ({"interactions": 0}, "interactions"),
    ],
)
def test_impossible_sizes_are_refused(arguments: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_operation(1, end=END, **arguments)
