"""The demo's workforce records: break plans and breaks taken, privacy training, internal targets between
teams and cases handed to the brands' in-house teams.

Everything derives from ``random.Random(seed)`` and the operation, and is stored through the services.
- Breaks: every worked shift plans a 15-minute break two hours in, a 30-minute meal mid-shift and another
  15-minute break two hours before the end. Most agents take nearly all of them within minutes of the plan;
  about one agent in five, on the busiest queues, skips or cuts short a fifth to a third of them.
- Privacy training: kept on the agent record; most agents are current, some expire within 30 days, a few
  have lapsed and a few never took it. Every demo login holds current training, so the training gate opens
  for the roles the policy allows.
- OLA: each brand's BPO teams hand escalated cases to the brand's in-house team, which owes them an answer
  within business hours that depend on the priority; most hand-offs are answered, some still wait.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from random import Random
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from trustdesk.core.model import IN_HOUSE_VENDOR, CaseStatus, Priority
from trustdesk.demo.operation import Agent, Operation
from trustdesk.services import breaks, ola
from trustdesk.services.training import PRIVACY_COURSE, TrainingInput, load_training_records
from trustdesk.storage import tables as t

# The in-house team owes a BPO team an answer within these business minutes, by case priority.
OLA_MINUTES = {Priority.URGENT: 60, Priority.HIGH: 240, Priority.NORMAL: 480, Priority.LOW: 1440}
TRAINING_VALIDITY = timedelta(days=365)


@dataclass(frozen=True)
class BreakHabit:
    """How one agent takes breaks: the share skipped and the share cut short (too short to count)."""

    skips: float
    cuts_short: float


def draw_break_habit(rng: Random) -> BreakHabit:
    if rng.random() < 0.2:
        return BreakHabit(skips=rng.uniform(0.15, 0.3), cuts_short=rng.uniform(0.05, 0.12))
    return BreakHabit(skips=rng.uniform(0.0, 0.05), cuts_short=rng.uniform(0.0, 0.04))


def planned_breaks(agent: Agent, day: date) -> list[breaks.PlannedBreak]:
    """The plan of the agent's shift starting on local ``day``: breaks two hours in and out, a meal mid-shift."""
    begins = datetime.combine(day, agent.shift.start, tzinfo=ZoneInfo(agent.time_zone))
    length = agent.shift.length
    plan = [(timedelta(hours=2), 15), (length / 2 - timedelta(minutes=15), 30), (length - timedelta(hours=2), 15)]
    return [breaks.PlannedBreak(begins + offset, minutes) for offset, minutes in plan
            if timedelta(hours=1) <= offset <= length - timedelta(hours=1)]


def store_breaks(connection: Connection, operation: Operation, brand_ids: dict[str, int], *, seed: int,
                 now: datetime) -> None:
    rng = Random(f"{seed}-breaks")
    for agent in operation.agents:
        habit = draw_break_habit(rng)
        record = breaks.find_break_agent(connection, None, brand_id=brand_ids[agent.brand],
                                         agent_external_id=agent.external_id)
        plans: dict[date, list[breaks.PlannedBreak]] = {}
        taken: list[tuple[datetime, datetime]] = []
        for offset in range(operation.days):
            day = operation.start + timedelta(days=offset)
            if day.weekday() in agent.days_off:
                continue
            plans[day] = planned_breaks(agent, day)
            for planned in plans[day]:
                roll = rng.random()
                if roll < habit.skips:
                    continue
                started = planned.starts_at + timedelta(minutes=rng.triangular(-10, 20, 2))
                minutes = planned.minutes * (rng.uniform(0.3, 0.6) if roll < habit.skips + habit.cuts_short
                                             else rng.uniform(0.9, 1.15))
                ended = started + timedelta(minutes=minutes)
                if ended.astimezone(UTC) <= now:
                    taken.append((started.replace(microsecond=0), ended.replace(microsecond=0)))
        breaks.import_agent_breaks(connection, record, plans=plans, taken=taken, now=now)


def store_training(connection: Connection, operation: Operation, *, seed: int, now: datetime) -> None:
    rng = Random(f"{seed}-training")
    rows = [TrainingInput(course=PRIVACY_COURSE, completed_at=now - timedelta(days=30),
                          expires_at=now - timedelta(days=30) + TRAINING_VALIDITY, username=user.username)
            for user in operation.users]
    linked = {user.agent_external_id for user in operation.users if user.agent_external_id}
    for agent in operation.agents:
        roll = rng.random()
        if agent.external_id in linked or roll < 0.72:
            completed = now - timedelta(days=rng.randint(20, 320))  # current, not due within 30 days
        elif roll < 0.84:
            completed = now - TRAINING_VALIDITY + timedelta(days=rng.randint(2, 28))  # expiring soon
        elif roll < 0.94:
            completed = now - TRAINING_VALIDITY - timedelta(days=rng.randint(5, 90))  # lapsed
        else:
            continue  # never trained
        rows.append(TrainingInput(course=PRIVACY_COURSE, completed_at=completed,
                                  expires_at=completed + TRAINING_VALIDITY, brand=agent.brand, agent=agent.external_id))
    load_training_records(connection, rows, actor=None, origin="demo", now=now)


def store_olas_and_handoffs(connection: Connection, operation: Operation, brand_ids: dict[str, int], *, seed: int,
                            now: datetime) -> None:
    """OLA targets from each BPO team to its brand's in-house team, and a hand-off of every escalated case."""
    rng = Random(f"{seed}-handoffs")
    for brand in operation.brands:
        in_house = next((team for team in operation.teams if team.brand == brand.key and team.vendor == IN_HOUSE_VENDOR),
                        None)
        if in_house is None:
            continue
        bpo_teams = [team for team in operation.teams if team.brand == brand.key and team.vendor != IN_HOUSE_VENDOR]
        for team in bpo_teams:
            for priority, minutes in OLA_MINUTES.items():
                ola.save_ola_target(connection, None, brand_id=brand_ids[brand.key], from_team=team.key,
                                    to_team=in_house.key, priority=priority, target_minutes=minutes, now=now)
        escalated = _escalated_cases(connection, brand_ids[brand.key], {team.key for team in bpo_teams})
        for case, team_key, handed_at in escalated:
            handoff = ola.hand_off_case(connection, None, case, to_team=in_house.key, from_team=team_key,
                                        note="escalated: needs an answer from in-house care", now=handed_at)
            if rng.random() < 0.12:
                continue  # still waiting for in-house care
            replied_at = handed_at + timedelta(hours=rng.triangular(0.2, 48, 3))
            if replied_at < now:
                ola.reply_to_handoff(connection, None, case, handoff_id=handoff["id"], now=replied_at)


def _escalated_cases(connection: Connection, brand_id: int, team_keys: set[str]) -> list[tuple[dict, str, datetime]]:
    """Escalated cases last handled by one of ``team_keys``: (case row, that team, end of its last contact)."""
    last_contact = (
        select(t.interactions.c.case_id, t.interactions.c.ended_at, t.teams.c.key.label("team"))
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .join(t.teams, t.teams.c.id == t.agents.c.team_id)
        .where(t.interactions.c.brand_id == brand_id)
        .order_by(t.interactions.c.case_id, t.interactions.c.started_at.desc(), t.interactions.c.id.desc())
    )
    latest: dict[int, tuple[datetime, str]] = {}
    for row in connection.execute(last_contact):
        latest.setdefault(row.case_id, (row.ended_at, row.team))
    cases = connection.execute(select(t.cases).where(t.cases.c.brand_id == brand_id,
                                                     t.cases.c.status == CaseStatus.ESCALATED.value)
                               .order_by(t.cases.c.id)).mappings().all()
    result = []
    for case in cases:
        ended_at, team = latest.get(case["id"], (None, None))
        if team in team_keys:
            moment = ended_at if ended_at.tzinfo else ended_at.replace(tzinfo=UTC)
            result.append((dict(case), team, moment))
    return result
