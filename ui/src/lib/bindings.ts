// Generated from crates/hoso-api/src/types.rs by `make bindings`. Do not edit.

export type AppInfo = { version: string, dataDir: string, dbPath: string, catalogueVersion: string, schemaVersion: number, };

export type Startup = { dataDir: string, dbPath: string, info: AppInfo | null, error: ApiError | null, };

export type ApiError = { code: ErrorCode, message: string, };

export type ErrorCode = "not_found" | "unknown_procedure" | "unknown_field" | "unknown_component" | "invalid_input" | "store_corrupt" | "store_locked" | "store_read_only" | "store_too_new" | "disk_full" | "store_unavailable" | "internal";

export type Level = "xa" | "tinh";

export type OnlineLevel = "toan_trinh" | "mot_phan";

export type ProcedureSummary = { code: string, name: string, field: string, level: Level, agency: string, online: OnlineLevel, timeLimit: string, fee: string, requiredComponents: number, };

export type CopyKind = "original" | "copy";

export type ComponentSpec = { code: string, name: string, copy: CopyKind, count: number, template: string | null, required: boolean, };

export type FieldKind = "text" | "full_name" | "cccd" | "date" | "sex" | "phone" | "email" | "address" | "select" | "number";

export type FieldSpec = { key: string, label: string, kind: FieldKind, required: boolean, hint: string | null, options: Array<string>, min: number | null, max: number | null, };

export type SectionSpec = { title: string, fields: Array<FieldSpec>, };

export type ProcedureDetail = { summary: ProcedureSummary, result: string, legalBasis: Array<string>, components: Array<ComponentSpec>, sections: Array<SectionSpec>, };

export type IssueCode = "required" | "too_long" | "name_chars" | "date_format" | "date_invalid" | "date_future" | "cccd_format" | "cccd_province" | "cccd_century" | "cccd_year" | "cccd_sex" | "phone_format" | "phone_prefix" | "email_format" | "not_an_option" | "number_format" | "number_range";

export type FieldIssue = { key: string, code: IssueCode, };

export type DossierState = "draft" | "queued" | "uploading" | "received" | "processing" | "supplement_requested" | "result_ready" | "rejected";

export type PageInfo = { id: number, position: number, sha256: string, mediaType: string, byteSize: number, originalName: string, addedAt: number, };

export type ComponentStatus = { code: string, pages: Array<PageInfo>, 
/**
 * Required and without any page yet.
 */
missing: boolean, };

export type Dossier = { id: string, procedureCode: string, 
/**
 * `None` when the catalogue no longer has the procedure; the values are still shown.
 */
procedure: ProcedureDetail | null, state: DossierState, title: string, values: { [key in string]: string }, issues: Array<FieldIssue>, components: Array<ComponentStatus>, 
/**
 * Fields to fix plus required documents still to add.
 */
missing: number, createdAt: number, updatedAt: number, deletedAt: number | null, };

export type FieldChange = { key: string, value: string, };

export type SaveOutcome = { title: string, issues: Array<FieldIssue>, missing: number, savedAt: number, };

export type DossierListItem = { id: string, procedureCode: string, 
/**
 * Empty when the catalogue no longer has the procedure.
 */
procedureName: string, state: DossierState, title: string, missing: number, createdAt: number, updatedAt: number, deletedAt: number | null, };

export type ListQuery = { 
/**
 * Words to look for, with or without diacritics.
 */
query: string, 
/**
 * The trash instead of the live dossiers.
 */
trash: boolean, 
/**
 * At most this many (default 50, at most 500).
 */
limit: number | null, offset: number | null, };

export type DossierList = { items: Array<DossierListItem>, total: number, };
