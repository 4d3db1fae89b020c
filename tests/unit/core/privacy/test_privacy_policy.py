"""Policy presets and the loader: every preset loads, extends merges, errors name the key."""
from __future__ import annotations

import pytest

from trustdesk.core.model import Role
from trustdesk.core.privacy.access_policy import Visibility
from trustdesk.core.privacy.consent import ConsentPurpose
from trustdesk.core.privacy.policy import PRESET_NAMES, load_policy
from trustdesk.core.privacy.policy_table import PolicyError
from trustdesk.core.privacy.retention import DataClass, RetentionAction


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_every_preset_loads_complete(name: str) -> None:
    policy = load_policy(name)
    assert policy.name == name
    assert set(policy.consent_defaults.allowed_without_event) == set(ConsentPurpose)
    assert set(policy.retention.rules) == set(DataClass)
    assert policy.access.visibility(role=Role.AGENT, purpose="general", field="name") is Visibility.VISIBLE


@pytest.mark.parametrize(
    ("name", "dsar_days", "notification_hours", "audit_days", "quality_analytics_default"),
    [
        ("default", 30, 72, 2190, False),
        ("gdpr", 30, 72, 1095, False),
        ("ccpa", 45, 72, 1095, True),
        ("hipaa", 30, 1440, 2190, True),
        ("pci_dss", 30, 72, 365, False),
    ],
)
def test_preset_values(name, dsar_days, notification_hours, audit_days, quality_analytics_default) -> None:
    policy = load_policy(name)
    assert policy.dsar_deadline_days == dsar_days
    assert policy.incident_notification_hours == notification_hours
    assert policy.retention.rules[DataClass.AUDIT].days == audit_days
    assert policy.consent_defaults.allowed_without_event[ConsentPurpose.QUALITY_ANALYTICS] is (
        quality_analytics_default
    )


def test_brand_policy_extends_a_preset_and_overrides_one_key() -> None:
    policy = load_policy(
        'extends = "gdpr"\nname = "acme"\ndsar_deadline_days = 20\n'
        '[consent.defaults]\ncall_recording = true\n'
        '[retention.transcripts]\ndays = 90\n'
        '[access.roles.agent."*"]\nphone = "hidden"\n'
    )
    assert (policy.name, policy.dsar_deadline_days, policy.incident_notification_hours) == ("acme", 20, 72)
    assert policy.consent_defaults.allowed_without_event[ConsentPurpose.CALL_RECORDING] is True
    assert policy.consent_defaults.allowed_without_event[ConsentPurpose.MARKETING] is False
    transcripts = policy.retention.rules[DataClass.TRANSCRIPTS]
    assert (transcripts.days, transcripts.action) == (90, RetentionAction.ANONYMIZE)
    assert policy.access.visibility(role=Role.AGENT, purpose="general", field="phone") is Visibility.HIDDEN
    assert policy.access.visibility(role=Role.AGENT, purpose="general", field="email") is Visibility.MASKED


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('extends = "gdpr"\ndsar_deadline_days = 0\n', "dsar_deadline_days"),
        ('extends = "gdpr"\ndsar_deadline_days = "30"\n', "dsar_deadline_days"),
        ('extends = "gdpr"\nincident_notification_hours = true\n', "incident_notification_hours"),
        ('extends = "sox"\n', "extends"),
        ('extends = "gdpr"\ncolour = "blue"\n', "colour"),
        ('extends = "gdpr"\n[consent.defaults]\nmarketing = "yes"\n', "consent.defaults.marketing"),
        ('extends = "gdpr"\n[consent.defaults]\nprofiling = true\n', "consent.defaults.profiling"),
        ('extends = "gdpr"\n[consent]\npurposes = []\n', "consent.purposes"),
        ('extends = "gdpr"\n[retention.transcripts]\ndays = -1\n', "retention.transcripts.days"),
        ('extends = "gdpr"\n[retention.surveys]\naction = "shred"\n', "retention.surveys.action"),
        ('extends = "gdpr"\n[retention.audit]\naction = "anonymize"\n', "retention.audit.action"),
        ('extends = "gdpr"\n[retention.emails]\ndays = 1\n', "retention.emails"),
        ('name = "bare"\ndsar_deadline_days = 30\n', "consent"),
        ('extends = "gdpr"\n[access.roles.agent.billing]\nemail = "shown"\n',
         "access.roles.agent.billing.email"),
    ],
)
def test_errors_name_the_bad_key(text: str, key: str) -> None:
    with pytest.raises(PolicyError) as raised:
        load_policy(text)
    assert raised.value.key == key
    assert str(raised.value).startswith(f"{key}: ")


@pytest.mark.parametrize("text", ["gdpr2", "", "not = [valid"])
def test_unknown_names_and_broken_toml_are_refused(text: str) -> None:
    with pytest.raises(PolicyError):
        load_policy(text)
