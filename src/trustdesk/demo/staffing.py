"""Staffing plans: which teams each vendor runs for each brand, and what their agents speak and handle.

Shifts are local times chosen to cover the brand's customers' day from each site's time zone, which is
why Manila and Pune work nights for the American brand.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from random import Random

from trustdesk.core.model import IN_HOUSE_VENDOR, Channel

_PURPOSES = ("billing", "order_status", "technical_support", "account_change", "complaint", "cancellation",
             "fraud_report")
# Rotating channel mixes; the first agent of every team handles all channels so each team covers them all.
_CHANNEL_MIXES = (
    (Channel.VOICE, Channel.CHAT, Channel.EMAIL, Channel.SOCIAL),
    (Channel.VOICE,),
    (Channel.VOICE, Channel.CHAT),
    (Channel.CHAT, Channel.EMAIL, Channel.SOCIAL),
    (Channel.VOICE, Channel.EMAIL),
    (Channel.CHAT, Channel.SOCIAL),
)


@dataclass(frozen=True)
class LanguagePlan:
    language: str
    lowest: int
    highest: int
    every: int = 1  # one agent in ``every`` speaks it, starting with the team's first agent


@dataclass(frozen=True)
class TeamPlan:
    team: str
    team_name: str
    vendor: str
    brand: str
    site: str
    weight: int
    languages: tuple[LanguagePlan, ...]
    shifts: tuple[tuple[time, time], ...]

    def draw_languages(self, position: int, rng: Random) -> list[tuple[str, int]]:
        """The (language, proficiency) pairs of the team's agent at ``position``."""
        return [(plan.language, rng.randint(plan.lowest, plan.highest))
                for plan in self.languages if position % plan.every == 0]

    def draw_skills(self, position: int, rng: Random) -> tuple[str, ...]:
        """Purposes the agent handles: all for the team's first agent, most for the others."""
        if position == 0:
            return _PURPOSES
        dropped = set(rng.sample(_PURPOSES, rng.randint(0, 3)))
        return tuple(purpose for purpose in _PURPOSES if purpose not in dropped)

    def draw_channels(self, position: int) -> tuple[Channel, ...]:
        """Channels the agent handles, from the rotating mixes."""
        return _CHANNEL_MIXES[position % len(_CHANNEL_MIXES)]

    def capacity_for(self, channel: Channel, rng: Random) -> int:
        """Concurrent contacts the agent takes on ``channel``."""
        if channel is Channel.VOICE:
            return 1
        if channel is Channel.CHAT:
            return rng.randint(2, 3)
        return 5 if channel is Channel.EMAIL else 3


def _shifts(*pairs: str) -> tuple[tuple[time, time], ...]:
    def parse(text: str) -> time:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))

    return tuple((parse(pair.split("-")[0]), parse(pair.split("-")[1])) for pair in pairs)


TEAM_PLANS = (
    TeamPlan("manila-acme", "Manila · Acme care", "manila-bpo", "acme", "makati", 10,
             (LanguagePlan("en", 4, 5), LanguagePlan("tl", 5, 5), LanguagePlan("es", 3, 4, every=5)),
             _shifts("21:00-06:00", "22:00-07:00", "23:00-08:00")),
    TeamPlan("manila-globex", "Cebu · Globex care", "manila-bpo", "globex", "cebu", 5,
             (LanguagePlan("en", 4, 5), LanguagePlan("tl", 5, 5), LanguagePlan("es", 3, 4, every=4)),
             _shifts("15:00-00:00", "14:00-23:00")),
    TeamPlan("pune-acme", "Pune · Acme care", "pune-cx", "acme", "hinjewadi", 8,
             (LanguagePlan("en", 4, 5), LanguagePlan("hi", 5, 5), LanguagePlan("fr", 3, 4, every=4)),
             _shifts("18:30-03:30", "20:30-05:30")),
    TeamPlan("pune-globex", "Pune · Globex care", "pune-cx", "globex", "hinjewadi", 6,
             (LanguagePlan("en", 4, 5), LanguagePlan("hi", 5, 5), LanguagePlan("fr", 3, 5, every=2)),
             _shifts("12:30-21:30", "13:30-22:30")),
    TeamPlan("medellin-acme", "Medellín · Acme care", "medellin-contact", "acme", "el-poblado", 7,
             (LanguagePlan("es", 5, 5), LanguagePlan("en", 3, 5), LanguagePlan("pt", 3, 5, every=2)),
             _shifts("08:00-17:00", "11:00-20:00")),
    TeamPlan("medellin-globex", "Medellín · Globex care", "medellin-contact", "globex", "el-poblado", 8,
             (LanguagePlan("es", 5, 5), LanguagePlan("en", 3, 4), LanguagePlan("pt", 4, 5, every=2)),
             _shifts("02:00-11:00", "04:00-13:00")),
    TeamPlan("inhouse-acme", "Miami · Acme care", IN_HOUSE_VENDOR, "acme", "miami", 8,
             (LanguagePlan("en", 5, 5), LanguagePlan("es", 4, 5, every=2), LanguagePlan("fr", 3, 4, every=4),
              LanguagePlan("pt", 3, 4, every=4)),
             _shifts("08:00-17:00", "12:00-21:00")),
    TeamPlan("inhouse-globex", "Madrid · Globex care", IN_HOUSE_VENDOR, "globex", "madrid", 8,
             (LanguagePlan("es", 5, 5), LanguagePlan("en", 4, 5), LanguagePlan("fr", 4, 5, every=3),
              LanguagePlan("pt", 3, 4, every=3)),
             _shifts("08:00-17:00", "11:00-20:00")),
)
