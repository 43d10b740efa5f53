#!/usr/bin/env node
// The CLI as bundled at build time (scripts/bundle.mjs): a few files load instead of a few hundred.
import { main } from "../dist/bundle/cli.js";

process.exitCode = await main(process.argv);
