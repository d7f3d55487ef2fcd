def register(router):
    from khizmat.inventory.api import views

    router.register("equipment", views.EquipmentViewSet, basename="equipment")
    router.register(
        "equipment-status-changes", views.EquipmentStatusChangeViewSet, basename="equipmentstatuschange"
    )
    router.register("handover-acts", views.HandoverActViewSet, basename="handoveract")
    router.register("equipment-imports", views.EquipmentImportViewSet, basename="equipmentimport")
