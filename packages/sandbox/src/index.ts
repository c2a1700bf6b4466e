/**
 * @intercom-fx/sandbox: a local, faithful Intercom REST API 2.10 workspace over HTTP.
 */
export * as Sandbox from "./Sandbox.js"
export * as Faults from "./Faults.js"
