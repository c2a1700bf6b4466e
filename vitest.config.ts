import * as path from "node:path"
import { defineConfig } from "vitest/config"

const packages = ["core", "streams", "sandbox", "cli"]

// One vitest project per package. Imports of @intercom-fx/* (the package or one of its
// modules, e.g. @intercom-fx/core/SearchFields) resolve to the sources, so tests never
// run against a stale build.
const alias = [
  { find: new RegExp(`^@intercom-fx/(${packages.join("|")})$`), replacement: path.resolve(import.meta.dirname, "packages/$1/src/index.ts") },
  { find: new RegExp(`^@intercom-fx/(${packages.join("|")})/(.+)$`), replacement: path.resolve(import.meta.dirname, "packages/$1/src/$2.ts") }
]

export default defineConfig({
  test: {
    projects: [
      ...packages.map((name) => ({
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
    ]
  }
})
