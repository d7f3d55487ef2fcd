"""The tags of the OpenAPI schema: one per module (Django app), described once. Imports nothing: settings read it."""

# The module (Django app) of each tag, described once; every operation carries exactly one of them.
TAGS = {
    "tenancy": (
        "Organizations, places, the working-day calendar, staff and memberships, the log of who saw full "
        "personal data"
    ),
    "services": "Service catalog and citizens' applications with their legal deadlines",
    "queue": "The counter queue: service groups, windows and tickets",
    "feedback": "Citizens' ratings and complaints (feedback cases)",
    "notifications": "SMS sent to citizens",
    "documents": "Documents made in the background (exports, notices): ask, follow the progress, download",
    "reports": "Citizen reports (problems on a map) and their updates",
    "billing": "Utility billing: subscribers, tariffs, billing runs, invoices, payments, cash desks, bank statements",
    "fieldwork": "Field work: vehicles, collection points, pickup schedule, routes and trips",
    "contracts": "Municipal orders: contracts, work items and records, monthly acts",
    "monitoring": "Results: KPI definitions, figures per site, territory and funder project, stored measures",
    "inventory": "Equipment inventory: equipment with its status history, handover acts, supplier list imports",
    "trainings": "Trainings and events: participants with attendance, counts by sex, materials, list imports",
}
