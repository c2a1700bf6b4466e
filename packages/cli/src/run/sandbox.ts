/** The implementation of `intercom-fx sandbox` (loaded only when the command runs). */
import { Sandbox } from "@intercom-fx/sandbox"
import * as Effect from "effect/Effect"
import * as Shutdown from "../Shutdown.js"

/** Serves until Ctrl-C; the sandbox's scope closes it (server, sockets) before the process exits 0. */
export const run = (options: Sandbox.SandboxOptions): Effect.Effect<never, Sandbox.SandboxError> =>
  Effect.zipRight(Shutdown.interruptIsNormalEnd, Sandbox.serve(options))
