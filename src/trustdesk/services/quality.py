"""QA use cases around the automatic result: per-brand scorecards, rescoring, the review queue and
the fairness report. Human review, disputes and calibration are in ``services.quality_review``.

Every read starts from ``services.scope``; an interaction or brand outside the viewer's scope looks missing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from trustdesk.core.model import CaseRef, Channel, CustomerRecord, Entity, Interaction, Speaker, Turn
from trustdesk.core.quality import (
    QualityResult,
    Scorecard,
    default_scorecard,
    load_scorecard,
    score_interaction,
    to_contract_dict,
)
from trustdesk.core.quality.fairness import GroupFairness, ScoredInteraction, report_fairness
from trustdesk.core.quality.results import Outcome
from trustdesk.core.quality.review import result_from_contract
from trustdesk.core.quality.scoring import total_score
from trustdesk.services.consent import customers_allowing_analytics
from trustdesk.services.metrics_rollups import update_rollups_for_interactions
from trustdesk.services.scope import Viewer, scope_interactions
from trustdesk.storage import tables as t
from trustdesk.storage.governance_tables import vendor_registrations
from trustdesk.storage.quality_tables import scorecards
from trustdesk.storage.timestamps import as_utc, iso_utc

SOURCE_AUTOMATIC = "automatic"
SOURCE_HUMAN = "human"
FAIRNESS_ATTRIBUTES = ("vendor", "site", "language")
RESCORE_CHUNK = 500


class QualityInputError(ValueError):
    """Bad input to a QA use case; ``path`` names the field (a JSON path such as ``$.yaml``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


# --- brands and scorecards -------------------------------------------------------------------------


def visible_brand_id(connection: Connection, viewer: Viewer, brand_key: str) -> int | None:
    """The id of ``brand_key`` if the viewer works for it (administrators: any brand), else None."""
    brand_id = connection.execute(select(t.brands.c.id).where(t.brands.c.key == brand_key)).scalar()
    if brand_id is None or not (viewer.is_admin or viewer.brand_id == brand_id):
        return None
    return brand_id


def upload_scorecard(connection: Connection, *, brand_id: int, text: str, uploaded_by: int | None,
                     now: datetime) -> dict:
    """Validate ``text`` and store it as the brand's next version, which becomes the active one."""
    card = load_scorecard(text, source="scorecard")  # ScorecardError names each bad line
    version = (connection.execute(
        select(func.max(scorecards.c.version)).where(scorecards.c.brand_id == brand_id)).scalar() or 0) + 1
    connection.execute(update(scorecards).where(scorecards.c.brand_id == brand_id).values(active=False))
    connection.execute(insert(scorecards).values(brand_id=brand_id, scorecard_id=card.id, version=version, yaml=text,
                                                 active=True, uploaded_by=uploaded_by, uploaded_at=now))
    return {"scorecard": card.id, "version": version, "active": True, "uploaded_at": iso_utc(now)}


def list_scorecards(connection: Connection, *, brand_id: int) -> list[dict]:
    rows = connection.execute(
        select(scorecards, t.users.c.username)
        .outerjoin(t.users, t.users.c.id == scorecards.c.uploaded_by)
        .where(scorecards.c.brand_id == brand_id)
        .order_by(scorecards.c.version.desc())
    ).mappings()
    return [{"scorecard": r["scorecard_id"], "version": r["version"], "active": r["active"],
             "uploaded_by": r["username"], "uploaded_at": iso_utc(r["uploaded_at"]), "yaml": r["yaml"]} for r in rows]


def active_scorecard(connection: Connection, *, brand_id: int) -> Scorecard:
    """The brand's active scorecard, or the shipped default when it has none."""
    text = connection.execute(
        select(scorecards.c.yaml).where(scorecards.c.brand_id == brand_id, scorecards.c.active.is_(True))
    ).scalar()
    return load_scorecard(text, source="scorecard") if text else default_scorecard()


def scorecard_named(connection: Connection, *, brand_id: int, scorecard_id: str) -> Scorecard:
    """The scorecard a stored result was scored with: the brand's newest version with that id, else the default."""
    text = connection.execute(
        select(scorecards.c.yaml)
        .where(scorecards.c.brand_id == brand_id, scorecards.c.scorecard_id == scorecard_id)
        .order_by(scorecards.c.active.desc(), scorecards.c.version.desc())
        .limit(1)
    ).scalar()
    return load_scorecard(text, source="scorecard") if text else default_scorecard()


# --- where vendors work, for the scorer ---------------------------------------------------------------


def registered_vendor_countries(
    connection: Connection, brand_vendors: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], tuple[str, ...]]:
    """The countries the vendor registry records for each (brand id, vendor key): the brand's registration
    of the vendor, else the vendor's directory entry. Pairs it records no country for are left out."""
    wanted = set(brand_vendors)
    if not wanted:
        return {}
    vendors = {row.key: row for row in connection.execute(
        select(t.vendors.c.id, t.vendors.c.key, t.vendors.c.countries)
        .where(t.vendors.c.key.in_({key for _, key in wanted}))
    )}
    registrations = vendor_registrations.c
    registered = {(row.brand_id, row.vendor_id): row.countries for row in connection.execute(
        select(registrations.brand_id, registrations.vendor_id, registrations.countries)
        .where(registrations.vendor_id.in_([vendor.id for vendor in vendors.values()]),
               registrations.brand_id.in_({brand_id for brand_id, _ in wanted}))
    )}
    found: dict[tuple[int, str], tuple[str, ...]] = {}
    for brand_id, key in wanted:
        vendor = vendors.get(key)
        if vendor is None:
            continue
        countries = registered.get((brand_id, vendor.id)) or vendor.countries
        if countries:
            found[(brand_id, key)] = tuple(sorted(set(countries)))
    return found


def with_vendor_countries(interaction: Interaction, countries: tuple[str, ...] | None) -> Interaction:
    """``interaction`` carrying where its vendor works, for outsourcing_disclosure to check answers."""
    return replace(interaction, vendor_countries=countries) if countries else interaction


# --- rescoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RescoreReport:
    rescored: int
    kept_human: int
    unscored_without_consent: int


def count_rescorable(connection: Connection, *, brand_ids: Iterable[int]) -> int:
    return connection.execute(
        select(func.count()).select_from(t.interactions).where(t.interactions.c.brand_id.in_(list(brand_ids)))
    ).scalar_one()


def rescore_brand(connection: Connection, *, brand_id: int, now: datetime,
                  on_progress: Callable[[int], None] = lambda _done: None) -> RescoreReport:
    """Recompute the automatic result of every stored (redacted) transcript of the brand with its active
    scorecard. Results a human edited are left as they are: a reviewer's judgement outranks the machine.
    Customers who do not allow quality analytics (consent ledger) are not scored, and an automatic result
    kept from before their withdrawal is removed."""
    card = active_scorecard(connection, brand_id=brand_id)
    ids = connection.execute(
        select(t.interactions.c.id).where(t.interactions.c.brand_id == brand_id).order_by(t.interactions.c.id)
    ).scalars().all()
    rescored = kept = unscored = 0
    for start in range(0, len(ids), RESCORE_CHUNK):
        chunk = ids[start:start + RESCORE_CHUNK]
        sources = dict(connection.execute(
            select(t.quality_results.c.interaction_id, t.quality_results.c.source)
            .where(t.quality_results.c.interaction_id.in_(chunk))
        ).all())
        stored = list(_stored_interactions(connection, chunk))
        allowed = customers_allowing_analytics(
            connection, {(brand_id, interaction.customer.external_id) for _, interaction in stored})
        for interaction_id, interaction in stored:
            if sources.get(interaction_id) == SOURCE_HUMAN:
                kept += 1
            elif (brand_id, interaction.customer.external_id) not in allowed:
                unscored += 1
                if interaction_id in sources:
                    _drop_result(connection, interaction_id)
            else:
                store_result(connection, interaction_id=interaction_id, result=score_interaction(interaction, card),
                             source=SOURCE_AUTOMATIC, now=now, exists=interaction_id in sources)
                rescored += 1
        update_rollups_for_interactions(connection, chunk, at=now)
        on_progress(len(chunk))
    return RescoreReport(rescored, kept, unscored)


def _drop_result(connection: Connection, interaction_id: int) -> None:
    connection.execute(delete(t.quality_results).where(t.quality_results.c.interaction_id == interaction_id))
    connection.execute(update(t.interactions).where(t.interactions.c.id == interaction_id)
                       .values(qa_score=None, qa_passed=None))


def store_result(connection: Connection, *, interaction_id: int, result: QualityResult | dict, source: str,
                 now: datetime, exists: bool = True) -> None:
    """Write the effective result of an interaction and mirror its score on the interaction row."""
    contract = to_contract_dict(result) if isinstance(result, QualityResult) else result
    values = {"scorecard": contract["scorecard"], "score": contract["score"], "passed": contract["passed"],
              "criteria": contract["criteria"], "source": source, "scored_at": now}
    if exists:
        connection.execute(update(t.quality_results).where(t.quality_results.c.interaction_id == interaction_id)
                           .values(**values))
    else:
        connection.execute(insert(t.quality_results).values(interaction_id=interaction_id, **values))
    connection.execute(update(t.interactions).where(t.interactions.c.id == interaction_id)
                       .values(qa_score=contract["score"], qa_passed=contract["passed"]))


def _stored_interactions(connection: Connection, ids: list[int]) -> Iterable[tuple[int, Interaction]]:
    """Interactions rebuilt from storage: the redacted turns with their entity labels, no personal fields."""
    rows = connection.execute(
        select(t.interactions, t.brands.c.key.label("brand"), t.vendors.c.key.label("vendor"),
               t.agents.c.external_id.label("agent"), t.customers.c.external_id.label("customer"),
               t.cases.c.external_id.label("case"), t.cases.c.purpose, t.transcripts.c.turns)
        .join(t.brands, t.brands.c.id == t.interactions.c.brand_id)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .join(t.customers, t.customers.c.id == t.interactions.c.customer_id)
        .join(t.cases, t.cases.c.id == t.interactions.c.case_id)
        .join(t.transcripts, t.transcripts.c.interaction_id == t.interactions.c.id)
        .where(t.interactions.c.id.in_(ids))
        .order_by(t.interactions.c.id)
    ).mappings().all()
    registry = registered_vendor_countries(connection, {(row["brand_id"], row["vendor"]) for row in rows})
    for row in rows:
        turns = row["turns"] or []
        yield row["id"], Interaction(
            external_id=row["external_id"], brand=row["brand"], vendor=row["vendor"], channel=Channel(row["channel"]),
            started_at=as_utc(row["started_at"]), ended_at=as_utc(row["ended_at"]),
            customer=CustomerRecord(external_id=row["customer"]), agent_external_id=row["agent"],
            case=CaseRef(external_id=row["case"], purpose=row["purpose"]),
            turns=tuple(Turn(Speaker(turn["speaker"]), turn["text"], turn.get("offset_seconds")) for turn in turns),
            language=row["language"], hold_seconds=row["hold_seconds"], wrap_seconds=row["wrap_seconds"],
            entities=tuple(tuple(Entity(e["start"], e["end"], e["label"]) for e in turn.get("entities", ()))
                           for turn in turns),
            vendor_countries=registry.get((row["brand_id"], row["vendor"]), ()),
        )


# --- automatic result behind an edited one ---------------------------------------------------------


def automatic_result(stored: dict, card: Scorecard) -> QualityResult:
    """The machine's result behind an effective one: overridden criteria carry their automatic outcome."""
    if not any("automatic" in criterion for criterion in stored["criteria"]):
        return result_from_contract(stored)  # nothing overridden: the stored result is the machine's
    criteria = [{**criterion, **criterion.get("automatic", {})} for criterion in stored["criteria"]]
    edited = result_from_contract({**stored, "criteria": criteria})
    score, is_passed = total_score(edited.criteria, card)
    return QualityResult(edited.external_id, edited.scorecard, score, is_passed, edited.criteria)


# --- fairness ------------------------------------------------------------------------------------


def fairness_report(connection: Connection, viewer: Viewer, *, brand_id: int | None,
                    date_from: datetime | None = None, date_to: datetime | None = None) -> dict[str, list[dict]]:
    """Per vendor, site and language: how often reviewers overturn the machine, and how scores spread.

    The site is the agent's team when the agent has one, else the vendor. A reviewed interaction's human
    ratings are its effective criteria: the reviewer changed some and let the others stand.
    """
    query = scope_interactions(
        select(t.interactions.c.brand_id, t.interactions.c.language, t.vendors.c.key.label("vendor"),
               t.teams.c.key.label("team"), t.quality_results.c.scorecard, t.quality_results.c.score,
               t.quality_results.c.passed, t.quality_results.c.criteria, t.quality_results.c.source)
        .select_from(t.interactions)
        .join(t.quality_results, t.quality_results.c.interaction_id == t.interactions.c.id)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .outerjoin(t.teams, t.teams.c.id == t.agents.c.team_id),
        viewer,
    )
    if brand_id is not None:
        query = query.where(t.interactions.c.brand_id == brand_id)
    if date_from is not None:
        query = query.where(t.interactions.c.started_at >= date_from)
    if date_to is not None:
        query = query.where(t.interactions.c.started_at < date_to)
    cards: dict[tuple[int, str], Scorecard] = {}
    items = []
    for row in connection.execute(query).mappings():
        key = (row["brand_id"], row["scorecard"])
        if key not in cards:
            cards[key] = scorecard_named(connection, brand_id=row["brand_id"], scorecard_id=row["scorecard"])
        stored = {"scorecard": row["scorecard"], "score": row["score"], "passed": row["passed"],
                  "criteria": row["criteria"]}
        human = ({c["id"]: Outcome(c["result"]) for c in row["criteria"]}
                 if row["source"] == SOURCE_HUMAN else None)
        items.append(ScoredInteraction(
            result=automatic_result(stored, cards[key]),
            attributes={"vendor": row["vendor"], "site": row["team"] or row["vendor"],
                        "language": row["language"] or "unknown"},
            human=human,
        ))
    return {attribute: [_fairness_row(g) for g in report_fairness(items, attribute=attribute)]
            for attribute in FAIRNESS_ATTRIBUTES}


def _fairness_row(group: GroupFairness) -> dict:
    return {"group": group.group, "interactions": group.interactions, "reviewed_criteria": group.reviewed_criteria,
            "disagreement_rate": group.disagreement_rate, "mean_score": round(group.mean_score, 1),
            "median_score": group.median_score, "min_score": group.min_score, "max_score": group.max_score,
            "pass_rate": group.pass_rate}
