"""The mixed load of bench/mixed_load.py: citizens (60 %), cashiers (25 %) and dispatchers (15 %), each waiting 1–4 s
between actions, on real rows of the chosen organizations (the JSON file named by BENCH_LOCUST_DATA, written by
mixed_load.py). Every answer is checked: a wrong status or body counts as a failure.

Not for running alone: `python bench/mixed_load.py` starts the server, picks the rows and runs locust with it.
"""

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["BENCH_LOCUST_DATA"], encoding="utf-8").read())  # noqa: SIM115
ROWS = DATA["rows"]
ORG = ROWS["utility_org"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def expect(response, status: int, text: str | None = None) -> bool:
    """Mark ``response`` (opened with catch_response) failed unless it has ``status`` (and contains ``text``)."""
    if response.status_code != status:
        response.failure(f"HTTP {response.status_code}, expected {status}")
        return False
    if text is not None and text not in response.text:
        response.failure(f"the answer lacks {text!r}")
        return False
    response.success()
    return True


class StaffUser(HttpUser):
    """A member of staff: logs in through the form (CSRF token and all) before the first task."""

    abstract = True
    wait_time = between(1, 4)
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF_INPUT.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": DATA["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="POST /accounts/login/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            expect(response, 302)

    @property
    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class Citizen(HttpUser):
    weight = 60
    wait_time = between(1, 4)

    @task(3)
    def portal_home(self):
        with self.client.get("/report/", name="/report/", catch_response=True) as response:
            expect(response, 200)

    @task(2)
    def open311_services(self):
        with self.client.get(
            f"/open311/v2/services.json?jurisdiction_id={ORG}",
            name="/open311/v2/services.json",
            catch_response=True,
        ) as response:
            expect(response, 200, "service_code")

    @task(2)
    def open311_requests(self):
        with self.client.get(
            f"/open311/v2/requests.json?jurisdiction_id={ORG}",
            name="/open311/v2/requests.json",
            catch_response=True,
        ) as response:
            expect(response, 200)

    @task(2)
    def open311_request(self):
        report = random.choice(ROWS["reports"])
        with self.client.get(
            f"/open311/v2/requests/{report['number']}.json?jurisdiction_id={ORG}",
            name="/open311/v2/requests/[id].json",
            catch_response=True,
        ) as response:
            expect(response, 200, report["number"])

    @task(3)
    def track(self):
        report = random.choice(ROWS["reports"])
        self._follow(report["number"], report["token"])

    @task(1)
    def report_a_problem(self):
        """POST a new report through Open311 (the city app's API key), then follow it as its citizen does."""
        place = random.choice(ROWS["reports"])
        with self.client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": ROWS["open311_key"],
                "jurisdiction_id": ORG,
                "service_code": random.choice(ROWS["report_types"]),
                "lat": place["latitude"] if place["latitude"] is not None else 41.87,
                "long": place["longitude"] if place["longitude"] is not None else 72.94,
                "address_string": "Load test street 1",
                "description": "Load test: container full",
                "first_name": "Load",
                "last_name": "Test",
            },
            name="POST /open311/v2/requests.json",
            catch_response=True,
        ) as response:
            if not expect(response, 201, "service_request_id"):
                return
            number = response.json()[0]["service_request_id"]
        self._follow(number, "")

    def _follow(self, number: str, token: str):
        query = f"?t={token}" if token else ""
        with self.client.get(
            f"/report/{ORG}/{number}/{query}", name="/report/[org]/[number]/", catch_response=True
        ) as response:
            expect(response, 200, number)


class Cashier(StaffUser):
    weight = 25
    username = DATA["cashier"]

    @task(3)
    def search_number(self):
        account = random.choice(ROWS["subscribers"])
        with self.client.get(
            f"/billing/cash/?q={account['number']}", name="/billing/cash/?q=[number]", catch_response=True
        ) as response:
            expect(response, 200, account["number"])

    @task(2)
    def search_name(self):
        with self.client.get(
            "/billing/cash/",
            params={"q": random.choice(ROWS["names"])},
            name="/billing/cash/?q=[name]",
            catch_response=True,
        ) as response:
            expect(response, 200)

    @task(2)
    def card(self):
        account = random.choice(ROWS["subscribers"])
        with self.client.get(
            f"/billing/subscribers/{account['pk']}/", name="/billing/subscribers/[id]/", catch_response=True
        ) as response:
            expect(response, 200, account["number"])

    @task(2)
    def pay(self):
        """A payment with an Idempotency-Key, then the same request again: 200 with the same payment."""
        account = random.choice(ROWS["subscribers"])
        body = {
            "subscriber": account["pk"],
            "amount": f"{random.randint(50, 900)}.00",
            "method": "cash" if ROWS["desk"] else "terminal",
            "desk": ROWS["desk"],
            "payer_name": "Load test",
            # Random accounts and amounts may repeat within minutes: each is meant as another payment.
            "confirm_repeat": True,
        }
        headers = {"Idempotency-Key": str(uuid.uuid4()), "X-CSRFToken": self.csrf}
        with self.client.post(
            "/api/v1/payments/",
            json=body,
            headers=headers,
            name="POST /api/v1/payments/",
            catch_response=True,
        ) as response:
            if not expect(response, 201):
                return
            first = response.json()["id"]
        with self.client.post(
            "/api/v1/payments/",
            json=body,
            headers=headers,
            name="POST /api/v1/payments/ (replay)",
            catch_response=True,
        ) as response:
            if not expect(response, 200):
                return
            if response.json()["id"] != first or response.headers.get("Idempotent-Replayed") != "true":
                response.failure(f"the replay answered payment {response.json()['id']}, not {first}")


class Dispatcher(StaffUser):
    weight = 15
    username = DATA["dispatcher"]

    @task(3)
    def inbox(self):
        with self.client.get("/reports/", name="/reports/", catch_response=True) as response:
            expect(response, 200)

    @task(3)
    def detail(self):
        report = random.choice(ROWS["reports"])
        with self.client.get(
            f"/reports/{report['pk']}/", name="/reports/[id]/", catch_response=True
        ) as response:
            expect(response, 200, report["number"])

    @task(2)
    def change_status(self):
        """Open a report, then change its status with a note for the citizen (the page's form, CSRF token)."""
        report = random.choice(ROWS["reports"])
        page = self.client.get(f"/reports/{report['pk']}/", name="/reports/[id]/")
        token = CSRF_INPUT.search(page.text)
        with self.client.post(
            f"/reports/{report['pk']}/act/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "action": "status",
                "status": random.choice(["acknowledged", "in_progress", "resolved"]),
                "public_note": "Load test: a crew is on its way.",
            },
            name="POST /reports/[id]/act/ (status)",
            catch_response=True,
        ) as response:
            # The view redirects to the report, whose page shows "Saved." as a success message.
            expect(response, 200, 'class="success"')
