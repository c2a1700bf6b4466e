/**
 * Every Intercom operation this package implements, one entry each: the spec's method,
 * path template and operationId, our name, the service that offers it and its `Endpoint`.
 * Checks (spec coverage, sandbox coverage) read this list.
 *
 * @since 0.1.0
 */
import type { Endpoint, HttpMethod } from "./Endpoint.js"
import * as Endpoints from "./generated/endpoints.js"

export interface OperationInfo {
  readonly method: HttpMethod
  /** The spec's path template, e.g. `/contacts/{contact_id}/tags`. */
  readonly path: string
  readonly operationId: string
  /** Our name, `<service>.<method>`, e.g. `contacts.attachTag`. */
  readonly name: string
  /** The service class offering it, e.g. `Contacts`. */
  readonly service: string
  readonly endpoint: Endpoint.Any
}

export const Operations: ReadonlyArray<OperationInfo> = Object.entries(Endpoints).flatMap(([service, group]) =>
  Object.values<Endpoint.Any>(group).map((endpoint) => ({
    method: endpoint.method,
    path: endpoint.path,
    operationId: endpoint.operationId,
    name: endpoint.name,
    service,
    endpoint
  }))
)
