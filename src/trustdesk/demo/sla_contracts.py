"""The demo vendors' SLA targets stored as each brand's contracts with the vendors that serve it.

BPO sites run around the clock, so their clocks run 24/7; the brands' in-house staff keep office hours
(Monday-Friday 09:00-18:00 at their site, closed on public holidays). The demo contracts name no
next-response target, so it equals the first-response target.
"""
from __future__ import annotations

from datetime import datetime

from trustdesk.core.model import IN_HOUSE_VENDOR
from trustdesk.demo.operation import Operation
from trustdesk.services.sla import save_sla_contract

IN_HOUSE_HOURS = ("09:00", "18:00")


def store_sla_contracts(connection, operation: Operation, brand_ids: dict[str, int], *, now: datetime) -> None:
    served = {(agent.brand, agent.vendor) for agent in operation.agents}
    for vendor in operation.vendors:
        opens, closes = IN_HOUSE_HOURS if vendor.key == IN_HOUSE_VENDOR else (None, None)
        for brand in sorted(brand for brand, key in served if key == vendor.key):
            for target in vendor.sla_targets:
                save_sla_contract(
                    connection, None, brand_id=brand_ids[brand], vendor_key=vendor.key, priority=target.priority,
                    first_response_minutes=target.first_response_minutes,
                    next_response_minutes=target.first_response_minutes,
                    resolution_minutes=target.resolution_minutes, opens=opens, closes=closes, now=now,
                )
