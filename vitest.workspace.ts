import * as path from "node:path"
import { defineWorkspace } from "vitest/config"

// One vitest project per package. Imports of @intercom-fx/* resolve to the sources,
// so tests never run against a stale build.
const alias = Object.fromEntries(
  ["core", "streams", "sandbox", "cli"].map((name) => [
    `@intercom-fx/${name}`,
    path.resolve(import.meta.dirname, `packages/${name}/src/index.ts`)
  ])
)

export default defineWorkspace([
  ...["core", "streams", "sandbox", "cli"].map((name) => ({
    resolve: { alias },
    test: {
      name,
      root: `packages/${name}`,
      include: ["test/**/*.test.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000
    }
  })),
  // The examples import the packages as users do, from their built dist/ (npm test builds first).
  { test: { name: "examples", root: "examples", include: ["*.test.ts"] } }
])
