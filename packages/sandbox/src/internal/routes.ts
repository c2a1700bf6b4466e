/**
 * The Intercom 2.10 operations the sandbox serves: each a method, a path template from the
 * spec and a handler over the workspace, grouped by resource family under `routes/`.
 * Bodies are decoded with effect/Schema; failures are ApiErrors rendered as `error.list`.
 */
import type { Route } from "./router.js"
import { adminRoutes } from "./routes/admins.js"
import { type Ctx } from "./routes/common.js"
import { companyRoutes } from "./routes/companies.js"
import { contactRoutes } from "./routes/contacts.js"
import { contentRoutes } from "./routes/content.js"
import { conversationRoutes } from "./routes/conversations.js"
import { eventRoutes } from "./routes/events.js"
import { exportRoutes } from "./routes/exports.js"
import { tagRoutes } from "./routes/tags.js"
import { ticketRoutes } from "./routes/tickets.js"
import { workspaceRoutes } from "./routes/workspace.js"

export type { Ctx }

export const routes: ReadonlyArray<Route<Ctx>> = [
  ...contactRoutes,
  ...companyRoutes,
  ...tagRoutes,
  ...conversationRoutes,
  ...ticketRoutes,
  ...adminRoutes,
  ...contentRoutes,
  ...eventRoutes,
  ...workspaceRoutes,
  ...exportRoutes
]
