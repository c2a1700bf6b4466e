/**
 * Workspace settings and content: admins, teams, data attributes, subscription types, help
 * centers, collections, articles, news and visitors.
 */
import { Effect } from "effect"
import { notFound } from "../errors.js"
import { findBy, ok, r } from "./common.js"


export const workspaceRoutes = [
  r("GET", "/me", (ctx) => ok({ ...(ctx.state.ws.admins[0] ?? {}), app: { type: "app", id_code: "sandbox-app", name: "Intercom sandbox", created_at: 1546300800, secure: false, identity_verification: false, timezone: "UTC", region: "US" } })),
  r("GET", "/admins", (ctx) => ok({ type: "admin.list", admins: [...ctx.state.ws.admins] })),
  r("GET", "/admins/{id}", (ctx, p) => findBy(ctx.state.ws.admins, p.id ?? "", "admin_not_found", "Admin not found")),
  r("GET", "/teams", (ctx) => ok({ type: "team.list", teams: [...ctx.state.ws.teams] })),
  r("GET", "/teams/{id}", (ctx, p) => findBy(ctx.state.ws.teams, p.id ?? "", "team_not_found", "Team not found")),
  // data attributes & subscription types
  r("GET", "/data_attributes", (ctx) => {
    const model = ctx.query.get("model")
    return ok({ type: "list", data: ctx.state.ws.dataAttributes.filter((a) => model === null || a.model === model) })
  }),
  r("GET", "/subscription_types", (ctx) => ok({ type: "list", data: [...ctx.state.ws.subscriptionTypes] })),
  r("GET", "/articles", (ctx) => ok({ type: "list", pages: { type: "pages", page: 1, per_page: 50, total_pages: 1 }, total_count: ctx.state.ws.articles.length, data: [...ctx.state.ws.articles] })),
  r("GET", "/articles/{id}", (ctx, p) => findBy(ctx.state.ws.articles, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/help_center/help_centers", (ctx) => ok({ type: "list", data: [...ctx.state.ws.helpCenters] })),
  r("GET", "/help_center/help_centers/{id}", (ctx, p) => findBy(ctx.state.ws.helpCenters, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/help_center/collections", (ctx) => ok({ type: "list", data: [...ctx.state.ws.collections], total_count: ctx.state.ws.collections.length, pages: { type: "pages", page: 1, per_page: 50, total_pages: 1 } })),
  r("GET", "/help_center/collections/{id}", (ctx, p) => findBy(ctx.state.ws.collections, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/news/news_items", (ctx) => ok({ type: "list", data: [...ctx.state.ws.newsItems], total_count: ctx.state.ws.newsItems.length, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } })),
  r("GET", "/news/news_items/{id}", (ctx, p) => findBy(ctx.state.ws.newsItems, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/news/newsfeeds", (ctx) => ok({ type: "list", data: [...ctx.state.ws.newsfeeds], total_count: ctx.state.ws.newsfeeds.length, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } })),
  r("GET", "/news/newsfeeds/{id}", (ctx, p) => findBy(ctx.state.ws.newsfeeds, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/news/newsfeeds/{id}/items", (ctx, p) => {
    const items = ctx.state.ws.newsItems.filter((n) => JSON.stringify(n.newsfeed_assignments).includes(`"newsfeed_id":${p.id}`))
    return ok({ type: "list", data: items, total_count: items.length, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } })
  }),
  r("GET", "/visitors", (ctx) => {
    const v = ctx.state.ws.visitors.find((x) => x.user_id === ctx.query.get("user_id"))
    return v ? ok(v) : Effect.fail(notFound("Visitor Not Found"))
  })
]
