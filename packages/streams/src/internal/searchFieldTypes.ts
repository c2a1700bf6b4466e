/**
 * The search field tables of `SearchFields` as literal types, so the typed builder can
 * offer field names and the operators and values each field takes. A test checks these
 * maps against `SearchFields` so the two cannot drift apart.
 */
export const contactFieldTypes = {
  id: "string", role: "string", name: "string", avatar: "string", owner_id: "integer",
  email: "string", email_domain: "string", phone: "string", external_id: "string",
  created_at: "date", signed_up_at: "date", updated_at: "date", last_seen_at: "date",
  last_contacted_at: "date", last_replied_at: "date", last_email_opened_at: "date",
  last_email_clicked_at: "date", language_override: "string", browser: "string",
  browser_language: "string", os: "string", "location.country": "string", "location.region": "string",
  "location.city": "string", unsubscribed_from_emails: "boolean", marked_email_as_spam: "boolean",
  has_hard_bounced: "boolean", ios_last_seen_at: "date", ios_app_version: "string",
  ios_device: "string", ios_app_device: "string", ios_os_version: "string", ios_app_name: "string",
  ios_sdk_version: "string", android_last_seen_at: "date", android_app_version: "string",
  android_device: "string", android_app_name: "string", andoid_sdk_version: "string",
  segment_id: "string", tag_id: "string"
} as const

export const conversationFieldTypes = {
  id: "string", created_at: "date", updated_at: "date", "source.type": "string",
  "source.id": "string", "source.delivered_as": "string", "source.subject": "string", "source.body": "string",
  "source.author.id": "string", "source.author.type": "string", "source.author.name": "string",
  "source.author.email": "string", "source.url": "string", contact_ids: "string", teammate_ids: "string",
  admin_assignee_id: "integer", team_assignee_id: "integer", channel_initiated: "string",
  open: "boolean", read: "boolean", state: "string", waiting_since: "date", snoozed_until: "date",
  tag_ids: "string", priority: "string",
  "statistics.time_to_assignment": "integer", "statistics.time_to_admin_reply": "integer",
  "statistics.time_to_first_close": "integer", "statistics.time_to_last_close": "integer",
  "statistics.median_time_to_reply": "integer", "statistics.first_contact_reply_at": "date",
  "statistics.first_assignment_at": "date", "statistics.first_admin_reply_at": "date",
  "statistics.first_close_at": "date", "statistics.last_assignment_at": "date",
  "statistics.last_assignment_admin_reply_at": "date", "statistics.last_contact_reply_at": "date",
  "statistics.last_admin_reply_at": "date", "statistics.last_close_at": "date",
  "statistics.last_closed_by_id": "string", "statistics.count_reopens": "integer",
  "statistics.count_assignments": "integer", "statistics.count_conversation_parts": "integer",
  "conversation_rating.requested_at": "date", "conversation_rating.replied_at": "date",
  "conversation_rating.score": "integer", "conversation_rating.remark": "string",
  "conversation_rating.contact_id": "string", "conversation_rating.admin_d": "string",
  ai_agent_participated: "boolean", "ai_agent.resolution_state": "string",
  "ai_agent.last_answer_type": "string", "ai_agent.rating": "integer", "ai_agent.rating_remark": "string",
  "ai_agent.source_type": "string", "ai_agent.source_title": "string"
} as const

export const ticketFieldTypes = {
  id: "string", created_at: "date", updated_at: "date", title: "string", description: "string",
  category: "string", ticket_type_id: "string", contact_ids: "string", teammate_ids: "string",
  admin_assignee_id: "string", team_assignee_id: "string", open: "boolean", state: "string",
  snoozed_until: "date"
} as const
