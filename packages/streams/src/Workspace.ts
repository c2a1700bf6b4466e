/**
 * The smaller listings under their 0.1 names. Each now lives in its resource's own
 * module (`Tags.stream`, `Admins.activityLogs`, `HelpCenter.collections`, …); these
 * aliases keep older callers working.
 *
 * @since 0.1.0
 */
import * as Admins from "./Admins.js"
import * as Articles from "./Articles.js"
import * as DataAttributes from "./DataAttributes.js"
import * as DataEvents from "./DataEvents.js"
import * as HelpCenter from "./HelpCenter.js"
import * as News from "./News.js"
import * as Segments from "./Segments.js"
import * as SubscriptionTypes from "./SubscriptionTypes.js"
import * as Tags from "./Tags.js"
import * as Teams from "./Teams.js"
import * as TicketTypes from "./TicketTypes.js"

/** @deprecated use `Tags.stream` */
export const tags = Tags.stream
/** @deprecated use `Segments.stream` */
export const segments = Segments.stream
/** @deprecated use `Admins.stream` */
export const admins = Admins.stream
/** @deprecated use `Admins.activityLogs` */
export const activityLogs = Admins.activityLogs
/** @deprecated use `Teams.stream` */
export const teams = Teams.stream
/** @deprecated use `Articles.stream` */
export const articles = Articles.stream
/** @deprecated use `HelpCenter.centers` */
export const helpCenters = HelpCenter.centers
/** @deprecated use `HelpCenter.collections` */
export const collections = HelpCenter.collections
/** @deprecated use `News.items` */
export const newsItems = News.items
/** @deprecated use `News.newsfeeds` */
export const newsfeeds = News.newsfeeds
/** @deprecated use `News.newsfeedItems` */
export const newsfeedItems = News.newsfeedItems
/** @deprecated use `DataAttributes.stream` */
export const dataAttributes = DataAttributes.stream
/** @deprecated use `DataEvents.stream` */
export const dataEvents = DataEvents.stream
/** @deprecated use `SubscriptionTypes.stream` */
export const subscriptionTypes = SubscriptionTypes.stream
/** @deprecated use `TicketTypes.stream` */
export const ticketTypes = TicketTypes.stream
