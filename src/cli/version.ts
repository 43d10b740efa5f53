export { readPackageVersion } from "../core/package-version.js";
