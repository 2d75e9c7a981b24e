// Generates the Tauri context and one permission per app command, so the capability file can
// grant exactly the commands the UI uses.

fn main() {
    let commands = &[
        "startup",
        "procedures",
        "create_dossier",
        "open_dossier",
        "save_fields",
        "list_dossiers",
        "duplicate_dossier",
        "trash_dossier",
        "restore_dossier",
        "purge_dossier",
        "add_page",
        "finalize_dossier",
        "unqueue_dossier",
        "send_now",
        "portal_settings",
        "set_portal",
        "set_sending_paused",
        "save_receipt",
        "scan_page",
        "pending_pages",
        "page_thumbnail",
        "page_photo",
        "move_page",
        "remove_page",
        "restore_page",
        "save_component_pdf",
        "bridge_addresses",
        "bridge_open",
        "bridge_open_card",
        "unit_provinces",
        "unit_search",
        "address_new",
        "bridge_status",
        "bridge_cut_off",
        "bridge_close",
        "watch_folders",
        "add_watch_folder",
        "remove_watch_folder",
        "pick_folder",
        "inbox",
        "inbox_thumbnail",
        "inbox_assign",
        "inbox_dismiss",
        "inbox_restore",
        "read_card",
        "read_card_from_page",
        "app_ready",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .unwrap_or_else(|e| panic!("tauri build step failed: {e:#}"));
}
