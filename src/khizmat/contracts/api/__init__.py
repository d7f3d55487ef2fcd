def register(router):
    from khizmat.contracts.api import views

    router.register("contracts", views.ContractViewSet, basename="contract")
    router.register("contract-work-items", views.WorkItemViewSet, basename="workitem")
    router.register("contract-work-records", views.WorkRecordViewSet, basename="workrecord")
    router.register("contract-acts", views.ActViewSet, basename="act")
    router.register("contract-act-lines", views.ActLineViewSet, basename="actline")
