/** JSON renderings of workspace records in the shapes of the spec's component schemas. */
import { APP_ID, type JsonObject, type Workspace } from "./workspace.js"

export const contactJson = (ws: Workspace, i: number): JsonObject => {
  const d = ws.contactData(i)
  const id = ws.contactId(i)
  const tags = ws.contactTagLinks(i)
  const notes = ws.contactNotes(i)
  const companies = ws.contactCompanyIndexes(i)
  const shown = 10
  return {
    type: "contact", id, workspace_id: APP_ID, external_id: d.external_id, role: d.role, email: d.email,
    email_domain: d.email.split("@")[1] ?? "", phone: d.phone, name: d.name, owner_id: d.owner_id,
    has_hard_bounced: d.has_hard_bounced, marked_email_as_spam: d.marked_email_as_spam,
    unsubscribed_from_emails: d.unsubscribed_from_emails, created_at: d.created_at, updated_at: d.updated_at,
    signed_up_at: d.signed_up_at, last_seen_at: d.last_seen_at, last_replied_at: d.last_replied_at,
    last_contacted_at: d.last_contacted_at, last_email_opened_at: d.last_email_opened_at,
    last_email_clicked_at: d.last_email_clicked_at, language_override: d.language_override, browser: d.browser,
    browser_version: d.browser_version, browser_language: d.browser_language, os: d.os,
    android_app_name: null, android_app_version: null, android_device: null, android_os_version: null,
    android_sdk_version: null, android_last_seen_at: null, ios_app_name: null, ios_app_version: null,
    ios_device: null, ios_os_version: null, ios_sdk_version: null, ios_last_seen_at: null,
    custom_attributes: { ...d.custom_attributes },
    avatar: { type: "avatar", image_url: d.avatar },
    tags: {
      type: "list",
      data: tags.slice(0, shown).map((t) => ({ type: "tag", id: t.tagId, url: `/tags/${t.tagId}` })),
      url: `/contacts/${id}/tags`, total_count: tags.length, has_more: tags.length > shown
    },
    notes: {
      type: "list",
      data: notes.slice(0, shown).map((n) => ({ type: "note", id: n.id, url: `/notes/${n.id}` })),
      url: `/contacts/${id}/notes`, total_count: notes.length, has_more: notes.length > shown
    },
    companies: {
      type: "list",
      data: companies.slice(0, shown).map((c) => ({ type: "company", id: ws.companyId(c), url: `/companies/${ws.companyId(c)}` })),
      url: `/contacts/${id}/companies`, total_count: companies.length, has_more: companies.length > shown
    },
    location: { ...d.location },
    social_profiles: { type: "list", data: [] }
  }
}

export const contactRef = (ws: Workspace, i: number): JsonObject => ({
  type: "contact", id: ws.contactId(i), external_id: ws.contactData(i).external_id
})

export const segmentJson = (s: { id: string; name: string; person_type: string; created_at: number }, count?: number): JsonObject => ({
  type: "segment", id: s.id, name: s.name, created_at: s.created_at, updated_at: s.created_at, person_type: s.person_type,
  ...(count === undefined ? {} : { count })
})

export const companyJson = (ws: Workspace, c: number): JsonObject => {
  const d = ws.companyData(c)
  return {
    type: "company", id: ws.companyId(c), name: d.name, app_id: APP_ID,
    plan: d.plan === null ? {} : { type: "plan", id: String(1 + ["free", "pro", "team", "enterprise"].indexOf(d.plan)), name: d.plan },
    company_id: d.company_id, remote_created_at: d.remote_created_at, created_at: d.created_at, updated_at: d.updated_at,
    last_request_at: d.last_request_at, size: d.size, website: d.website, industry: d.industry,
    monthly_spend: d.monthly_spend, session_count: d.session_count, user_count: ws.userCount(c),
    custom_attributes: { ...d.custom_attributes },
    tags: { type: "tag.list", tags: ws.companyTagIds(c).map((id) => ws.tagJson(id)) },
    segments: { type: "segment.list", segments: [] }
  }
}

export const noteJson = (ws: Workspace, n: { id: string; contactIndex: number; createdAt: number; adminId: number; body: string }): JsonObject => ({
  type: "note", id: n.id, created_at: n.createdAt,
  contact: { type: "contact", id: ws.contactId(n.contactIndex) },
  author: ws.admins.find((a) => a.id === String(n.adminId)) ?? null,
  body: n.body
})
