"""Steps the page tests share."""
from __future__ import annotations

from playwright.sync_api import expect

# The password every browser-test persona is created with.
PASSWORD = "correct horse"


def log_in(page, live_server, username: str) -> None:
    """Log in through the form and land on the interaction list."""
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/interactions")
