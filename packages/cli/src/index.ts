/**
 * @intercom-fx/cli: the `intercom-fx` command line (the executable is `bin/intercom-fx.js`).
 * The command tree and its parts are exported for embedding and testing.
 */
export * as Cli from "./Cli.js"
export * as ExitCode from "./ExitCode.js"
export * as Failure from "./Failure.js"
export * as Workspace from "./Workspace.js"
