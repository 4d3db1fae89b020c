"""The demo operation: brands, vendors with their sites and contracts, teams, agents, customers and users.

Everything derives from one ``random.Random(seed)`` and the period's end date, so the same arguments
always build the same operation.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from random import Random

from trustdesk.core.model import IN_HOUSE_VENDOR, Channel, Priority, Role
from trustdesk.demo.customers import Customer, CustomerMarket, build_customers
from trustdesk.demo.locales import load_locales
from trustdesk.demo.staffing import TEAM_PLANS, TeamPlan

# Every demo login uses this password; the CLI prints it next to the usernames.
DEMO_PASSWORD = "demo"

PURPOSES = ("billing", "order_status", "technical_support", "account_change", "complaint", "cancellation",
            "fraud_report")


@dataclass(frozen=True)
class Brand:
    key: str
    name: str
    industry: str
    home_country: str


@dataclass(frozen=True)
class Site:
    name: str
    city: str
    country: str
    time_zone: str


@dataclass(frozen=True)
class Certification:
    name: str
    expires_on: date


@dataclass(frozen=True)
class SlaTarget:
    priority: Priority
    first_response_minutes: int
    resolution_minutes: int


@dataclass(frozen=True)
class Vendor:
    key: str
    legal_name: str
    country: str
    sites: tuple[Site, ...]
    certifications: tuple[Certification, ...]
    dpa_signed_on: date
    nda_signed_on: date
    sla_targets: tuple[SlaTarget, ...]


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    brand: str
    vendor: str
    site: str


@dataclass(frozen=True)
class LanguageSkill:
    language: str
    proficiency: int  # 1-5; 3 and above may serve customers (CONTRACTS.md section 6)


@dataclass(frozen=True)
class ChannelCapacity:
    channel: Channel
    capacity: int


@dataclass(frozen=True)
class Shift:
    start: time
    end: time  # earlier than start when the shift runs past midnight

    @property
    def length(self) -> timedelta:
        minutes = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        return timedelta(minutes=minutes % (24 * 60))


@dataclass(frozen=True)
class Conduct:
    """How often an agent does each thing the scorecards look at; drawn per agent, never per vendor."""

    discloses_recording: float
    states_purpose_before_asking: float
    shows_empathy: float
    sounds_scripted: float
    reads_back_card: float
    answers_location_truthfully: float
    resolves: float
    closes_properly: float
    reads_handoff_notes: float


@dataclass(frozen=True)
class Agent:
    external_id: str
    name: str
    vendor: str
    team: str
    brand: str
    country: str
    site: str
    time_zone: str
    languages: tuple[LanguageSkill, ...]
    skills: tuple[str, ...]
    channels: tuple[Channel, ...]
    capacity: tuple[ChannelCapacity, ...]
    shift: Shift
    days_off: tuple[int, ...]  # weekday numbers, Monday = 0
    conduct: Conduct

    def proficiency(self, language: str) -> int:
        """The agent's level in ``language``, 0 when they do not speak it."""
        return next((skill.proficiency for skill in self.languages if skill.language == language), 0)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    brand: str
    vendor: str | None
    agent_external_id: str | None = None


@dataclass(frozen=True)
class Operation:
    seed: int
    start: date
    end: date
    interaction_count: int
    brands: tuple[Brand, ...]
    vendors: tuple[Vendor, ...]
    teams: tuple[Team, ...]
    agents: tuple[Agent, ...]
    customers: tuple[Customer, ...]
    users: tuple[DemoUser, ...]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


BRANDS = (
    Brand(key="acme", name="Acme Mobile", industry="telecom", home_country="US"),
    Brand(key="globex", name="Globex Bank", industry="banking", home_country="ES"),
)

MARKETS = (
    CustomerMarket(brand="acme", share_of_customers=0.6, account_prefix="AC",
                   countries=("US", "CA", "MX", "BR", "FR", "PH", "IN"),
                   weights=(0.52, 0.12, 0.1, 0.1, 0.04, 0.06, 0.06)),
    CustomerMarket(brand="globex", share_of_customers=0.4, account_prefix="40",
                   countries=("ES", "FR", "PT", "GB", "MX", "CO"),
                   weights=(0.42, 0.2, 0.15, 0.1, 0.08, 0.05)),
)


def build_vendors(end: date) -> tuple[Vendor, ...]:
    """Three BPOs in three countries and the brands' own staff; document dates sit around ``end``."""

    def days(offset: int) -> date:
        return end + timedelta(days=offset)

    def sla(scale: float) -> tuple[SlaTarget, ...]:
        base = ((Priority.URGENT, 5, 240), (Priority.HIGH, 15, 1440), (Priority.NORMAL, 60, 4320),
                (Priority.LOW, 240, 10080))
        return tuple(SlaTarget(priority, round(first * scale), round(resolution * scale))
                     for priority, first, resolution in base)

    return (
        Vendor(key="manila-bpo", legal_name="Manila Contact Solutions Inc.", country="PH",
               sites=(Site("makati", "Makati", "PH", "Asia/Manila"), Site("cebu", "Cebu City", "PH", "Asia/Manila")),
               certifications=(Certification("ISO 27001", days(240)), Certification("PCI DSS", days(21))),
               dpa_signed_on=days(-400), nda_signed_on=days(-410), sla_targets=sla(1.0)),
        Vendor(key="pune-cx", legal_name="Pune CX Services Pvt. Ltd.", country="IN",
               sites=(Site("hinjewadi", "Pune", "IN", "Asia/Kolkata"),),
               certifications=(Certification("ISO 27001", days(-12)), Certification("PCI DSS", days(300))),
               dpa_signed_on=days(-700), nda_signed_on=days(-700), sla_targets=sla(1.0)),
        Vendor(key="medellin-contact", legal_name="Medellín Contact Center S.A.S.", country="CO",
               sites=(Site("el-poblado", "Medellín", "CO", "America/Bogota"),),
               certifications=(Certification("ISO 27001", days(500)), Certification("PCI DSS", days(150))),
               dpa_signed_on=days(-200), nda_signed_on=days(-230), sla_targets=sla(1.2)),
        Vendor(key=IN_HOUSE_VENDOR, legal_name="Brand employees (in-house care)", country="US",
               sites=(Site("miami", "Miami", "US", "America/New_York"),
                      Site("madrid", "Madrid", "ES", "Europe/Madrid")),
               certifications=(Certification("ISO 27001", days(365)),),
               dpa_signed_on=days(-1000), nda_signed_on=days(-1000), sla_targets=sla(0.8)),
    )


def build_teams() -> tuple[Team, ...]:
    """One team per vendor site and brand served, in the order of the staffing plan."""
    return tuple(Team(key=plan.team, name=plan.team_name, brand=plan.brand, vendor=plan.vendor, site=plan.site)
                 for plan in TEAM_PLANS)


def draw_conduct(rng: Random) -> Conduct:
    """A per-agent behaviour profile; quality is spread within every vendor, not between them."""
    quality = rng.betavariate(5, 2)

    def tendency(floor: float, span: float) -> float:
        return min(0.99, max(0.01, floor + span * quality + rng.uniform(-0.08, 0.08)))

    return Conduct(
        discloses_recording=tendency(0.55, 0.44),
        states_purpose_before_asking=tendency(0.2, 0.75),
        shows_empathy=tendency(0.15, 0.8),
        sounds_scripted=tendency(0.6, -0.55),
        reads_back_card=tendency(0.5, -0.45),
        answers_location_truthfully=tendency(0.35, 0.6),
        resolves=tendency(0.4, 0.5),
        closes_properly=tendency(0.45, 0.5),
        reads_handoff_notes=tendency(0.1, 0.85),
    )


def split_headcount(total: int, plans: tuple[TeamPlan, ...]) -> list[int]:
    """Agents per team proportional to each plan's weight, at least one each, summing to ``total``."""
    weight_sum = sum(plan.weight for plan in plans)
    counts = [max(1, int(total * plan.weight / weight_sum)) for plan in plans]
    index = 0
    while sum(counts) < total:
        counts[index % len(counts)] += 1
        index += 1
    while sum(counts) > total and max(counts) > 1:
        counts[counts.index(max(counts))] -= 1
    return counts


def build_agents(count: int, vendors: tuple[Vendor, ...], rng: Random) -> tuple[Agent, ...]:
    """``count`` agents staffed by the team plans, named after people of their site's country."""
    locales = load_locales()
    sites = {(vendor.key, site.name): site for vendor in vendors for site in vendor.sites}
    agents: list[Agent] = []
    for plan, headcount in zip(TEAM_PLANS, split_headcount(count, TEAM_PLANS), strict=True):
        site = sites[(plan.vendor, plan.site)]
        locale = locales[site.country]
        for position in range(headcount):
            number = len(agents) + 1
            skills = plan.draw_skills(position, rng)
            channels = plan.draw_channels(position)
            agents.append(Agent(
                external_id=f"agent-{number:03d}",
                name=f"{rng.choice(locale.first_names)} {rng.choice(locale.last_names)}",
                vendor=plan.vendor, team=plan.team, brand=plan.brand, country=site.country, site=site.name,
                time_zone=site.time_zone,
                languages=tuple(LanguageSkill(language, level)
                                for language, level in plan.draw_languages(position, rng)),
                skills=skills,
                channels=channels,
                capacity=tuple(ChannelCapacity(channel, plan.capacity_for(channel, rng)) for channel in channels),
                shift=Shift(*plan.shifts[position % len(plan.shifts)]),
                days_off=((position % 7), (position + 1) % 7),
                conduct=draw_conduct(rng),
            ))
    return tuple(agents)


def build_users(agents: tuple[Agent, ...]) -> tuple[DemoUser, ...]:
    """One login per brand role, and per vendor serving a brand a manager, a supervisor, a QA analyst, an agent."""
    brand_roles = (Role.ADMIN, Role.BRAND_MANAGER, Role.SUPERVISOR, Role.QA_ANALYST, Role.PRIVACY_OFFICER,
                   Role.AUDITOR)
    vendor_roles = (Role.VENDOR_MANAGER, Role.SUPERVISOR, Role.QA_ANALYST)
    users: list[DemoUser] = []
    for brand in BRANDS:
        users.extend(DemoUser(f"{brand.key}.{role.value}", role, brand.key, None) for role in brand_roles)
        for vendor in dict.fromkeys(agent.vendor for agent in agents if agent.brand == brand.key):
            users.extend(DemoUser(f"{brand.key}.{vendor}.{role.value}", role, brand.key, vendor)
                         for role in vendor_roles)
            first_agent = next(a for a in agents if a.brand == brand.key and a.vendor == vendor)
            users.append(DemoUser(f"{brand.key}.{vendor}.agent", Role.AGENT, brand.key, vendor,
                                  first_agent.external_id))
    return tuple(users)


def build_operation(seed: int, *, end: date, days: int = 60, interactions: int = 20_000, customers: int = 5_000,
                    agents: int = 60) -> Operation:
    """The whole demo operation for the ``days`` ending on ``end``; same arguments, same operation."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if agents < len(TEAM_PLANS):
        raise ValueError(f"agents must be at least {len(TEAM_PLANS)} (one per team), got {agents}")
    if customers < 1 or interactions < 1:
        raise ValueError(f"customers and interactions must be positive, got {customers} and {interactions}")
    rng = Random(seed)
    vendors = build_vendors(end)
    staff = build_agents(agents, vendors, rng)
    return Operation(
        seed=seed,
        start=end - timedelta(days=days - 1),
        end=end,
        interaction_count=interactions,
        brands=BRANDS,
        vendors=vendors,
        teams=build_teams(),
        agents=staff,
        customers=build_customers(MARKETS, customers, rng, end=end),
        users=build_users(staff),
    )
