/**
 * @intercom-fx/core: config, the HTTP client service, typed errors, retry schedules,
 * rate-limit state and the endpoints of Intercom's REST API 2.10.
 */
export * as Endpoint from "./Endpoint.js"
export * as IntercomError from "./IntercomError.js"
export * as IntercomClient from "./IntercomClient.js"
export * as IntercomConfig from "./IntercomConfig.js"
export * as RateLimit from "./RateLimit.js"
export * as Retry from "./Retry.js"
export * as SearchFields from "./SearchFields.js"
export * as Tracing from "./Tracing.js"
export * as Endpoints from "./generated/endpoints.js"
export * as Schemas from "./generated/schemas.js"
export * from "./generated/services/index.js"
export * as Intercom from "./Intercom.js"
export { type OperationInfo, Operations } from "./Operations.js"
