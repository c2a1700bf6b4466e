/**
 * @intercom-fx/streams: Intercom listings as Effect Streams, the search query builder
 * and its text form, partitioned and incremental exports, resumable file exports, the
 * bulk runner, sinks and checkpoint journals.
 */
export * as QueryText from "./QueryText.js"
export * as Search from "./Search.js"
export * as Csv from "./Csv.js"
export * as Sink from "./Sink.js"
export * as Paginate from "./Paginate.js"
export * as Companies from "./Companies.js"
export * as Contacts from "./Contacts.js"
export * as Conversations from "./Conversations.js"
export * as Tickets from "./Tickets.js"
export * as Tags from "./Tags.js"
export * as Segments from "./Segments.js"
export * as Admins from "./Admins.js"
export * as Teams from "./Teams.js"
export * as Articles from "./Articles.js"
export * as HelpCenter from "./HelpCenter.js"
export * as News from "./News.js"
export * as DataAttributes from "./DataAttributes.js"
export * as DataEvents from "./DataEvents.js"
export * as SubscriptionTypes from "./SubscriptionTypes.js"
export * as TicketTypes from "./TicketTypes.js"
export * as Export from "./Export.js"
export * as Bulk from "./Bulk.js"
export * as Journal from "./Journal.js"
export * as Partition from "./Partition.js"
