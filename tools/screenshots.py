"""Screenshots of the Results dashboards for docs/screenshots/, taken from the demo as each of their users sees them.

    DEBUG=1 DATABASE_URL=sqlite:////tmp/khizmat-demo.sqlite3 .venv/bin/khizmat migrate && ... khizmat demo
    DEBUG=1 TWO_FACTOR_REQUIRED=0 DATABASE_URL=sqlite:////tmp/khizmat-demo.sqlite3 .venv/bin/khizmat runserver 127.0.0.1:8123 &
    .venv/bin/python tools/screenshots.py --base http://127.0.0.1:8123

Drives Debian's Chromium through Playwright, in English; JPEG keeps the files small.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "khizmat-demo-2026"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
# (file, user, path): one per role's dashboard, plus the funder's pages and an open-data page.
SHOTS = [
    ("center-director", "bakhmal.manager", "/monitoring/"),
    ("enterprise-director-billing", "ynguuluu-shart.manager", "/monitoring/?section=billing"),
    ("enterprise-director-fieldwork", "ynguuluu-shart.manager", "/monitoring/?section=fieldwork"),
    ("aiyl-okmotu-head", "kyzyl-suu-ao.manager", "/monitoring/?section=reports"),
    ("regional-monitor", "dxa-jizzakh.monitor", "/monitoring/"),
    ("national-monitor", "dxa.monitor", "/monitoring/?group=organization"),
    ("funder-officer", "eu-undp.monitor", "/monitoring/?pilot=pilot&group=organization"),
    ("funder-indicators", "eu-undp.manager", "/monitoring/indicators/?start=2026-01&end=2026-12"),
    ("records-overdue", "dxa.monitor", "/monitoring/records/applications.overdue/"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8123")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for name, user, path in SHOTS:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
            page = context.new_page()
            page.goto(f"{args.base}/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", PASSWORD)
            page.locator("form.form button[type=submit]").click()
            page.wait_for_load_state("networkidle")
            with page.expect_navigation():
                page.select_option("#language-select", "en")
            page.goto(f"{args.base}{path}")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)  # the charts' first draw
            target = OUT / f"{name}.jpg"
            page.screenshot(path=str(target), full_page=True, type="jpeg", quality=60)
            print(f"{target.relative_to(OUT.parent.parent)}  ({user} {path})")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
