import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { repoRoot, skipReason, specText } from "./fixtures/IntercomSpec.js"

const generatorPath = path.join(repoRoot, "scripts/generate-endpoints.ts")

const Generator = Schema.Struct({
  OUTPUT_DIR: Schema.String,
  generate: Schema.declare((u): u is (specText: string) => unknown => typeof u === "function")
})
const Files = Schema.Record({ key: Schema.String, value: Schema.String })

const listFiles = (dir: string): ReadonlyArray<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]
  )

describe("generated endpoints", () => {
  it.skipIf(specText === undefined)(
    specText === undefined
      ? `are what scripts/generate-endpoints.ts writes today (${skipReason})`
      : "are what scripts/generate-endpoints.ts writes today",
    async () => {
      const generator = Schema.decodeUnknownSync(Generator)(await import(pathToFileURL(generatorPath).href))
      const expected = Schema.decodeUnknownSync(Files)(generator.generate(specText ?? ""))
      const committed = listFiles(path.join(repoRoot, generator.OUTPUT_DIR)).map((file) => path.relative(repoRoot, file))
      const hint = "stale: run `npx tsx scripts/generate-endpoints.ts`"
      expect(committed.sort(), hint).toEqual(Object.keys(expected).sort())
      const stale = Object.entries(expected)
        .filter(([file, contents]) => fs.readFileSync(path.join(repoRoot, file), "utf8") !== contents)
        .map(([file]) => file)
      expect(stale, hint).toEqual([])
    }
  )
})
