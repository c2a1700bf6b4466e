/**
 * Flags shared by several commands and the names of the resources, kept free of the
 * toolkit's runtime so the command tree (and `--help`, `--version`) loads fast; the
 * commands' implementations are imported only when they run.
 */
import * as Options from "@effect/cli/Options"
import type * as Option from "effect/Option"
import * as NamedValues from "./namedValues.js"

export const exportable = [
  "contacts",
  "companies",
  "conversations",
  "tickets",
  "tags",
  "segments",
  "admins",
  "teams",
  "articles",
  "notes",
  "data-attributes"
] as const
export type Exportable = typeof exportable[number]

export const taggable = ["contacts", "companies", "conversations", "tickets"] as const
export type Taggable = typeof taggable[number]

/** Resources with a search endpoint (and so `--query`). */
export const searchable = (resource: string): resource is "contacts" | "conversations" | "tickets" =>
  resource === "contacts" || resource === "conversations" || resource === "tickets"

/**
 * Resources whose records carry no timestamp (the spec's Tag, Admin and Team have neither
 * `updated_at` nor `created_at`), so `--since` cannot select among them.
 */
export const undated = (resource: string): boolean => resource === "tags" || resource === "admins" || resource === "teams"

/** The flags every API command takes. */
export interface WorkspaceOptions {
  readonly sandbox: boolean
  readonly tokenFile: Option.Option<string>
}

export const workspace = Options.all({
  sandbox: Options.boolean("sandbox").pipe(
    Options.withDescription("Run against an in-process seeded sandbox instead of a real workspace.")
  ),
  tokenFile: Options.text("token-file").pipe(
    Options.withDescription("Read the access token from this file instead of INTERCOM_ACCESS_TOKEN."),
    Options.optional
  )
})

export type ProgressMode = "auto" | "lines" | "off"

export const progress = NamedValues.choice("progress", ["auto", "lines", "off"]).pipe(
  Options.withDescription("Progress on stderr: auto (only when stderr is a terminal), lines (one line per step), off."),
  Options.withDefault("auto" as const)
)
