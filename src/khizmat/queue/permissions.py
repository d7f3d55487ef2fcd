from khizmat.tenancy.roles import Role

PERMISSIONS = {
    "queue.operate": frozenset({Role.OPERATOR, Role.MANAGER, Role.ADMIN}),
    "queue.view": frozenset({Role.OPERATOR, Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
    "queue.manage": frozenset({Role.MANAGER, Role.ADMIN}),
}
