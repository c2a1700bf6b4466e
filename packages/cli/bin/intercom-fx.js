#!/usr/bin/env node
// Committed launcher: npm links workspace bins at install time, before dist/ exists,
// so the linked file must be this executable stub rather than a build output.
import("../dist/bin.js").catch((error) => {
  if (error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/bin.js")) {
    process.stderr.write("intercom-fx is not built yet: run `npm run build` first.\n")
    process.exit(2)
  }
  throw error
})
