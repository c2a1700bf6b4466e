/**
 * @intercom-fx/streams: Intercom listings as Effect Streams, the search query builder
 * and its text form, partitioned and incremental exports, the bulk runner, sinks and
 * checkpoint journals.
 */
export * as QueryText from "./QueryText.js"
export * as Search from "./Search.js"
export * as Csv from "./Csv.js"
export * as Sink from "./Sink.js"
