/**
 * The whole API in one layer: every resource service (`Contacts`, `Companies`, …),
 * each running its endpoints through the `IntercomClient` it is given.
 *
 * @since 0.1.0
 */
import * as Layer from "effect/Layer"
import {
  Admins,
  Articles,
  Companies,
  Contacts,
  Conversations,
  DataAttributes,
  DataEvents,
  DataExport,
  HelpCenter,
  Messages,
  News,
  Notes,
  PhoneSwitch,
  Segments,
  SubscriptionTypes,
  Tags,
  Teams,
  Tickets,
  TicketTypeAttributes,
  TicketTypes,
  Visitors
} from "./generated/services/index.js"

/** Provides all 21 resource services; requires an `IntercomClient`. */
export const layer = Layer.mergeAll(
  Admins.Default,
  Articles.Default,
  Companies.Default,
  Contacts.Default,
  Conversations.Default,
  DataAttributes.Default,
  DataEvents.Default,
  DataExport.Default,
  HelpCenter.Default,
  Messages.Default,
  News.Default,
  Notes.Default,
  PhoneSwitch.Default,
  Segments.Default,
  SubscriptionTypes.Default,
  Tags.Default,
  Teams.Default,
  Tickets.Default,
  TicketTypeAttributes.Default,
  TicketTypes.Default,
  Visitors.Default
)
