import { describe, expect, it } from "vitest";
import { desiredRegistration } from "../../../src/entra/registration/desired.js";
import { APP_ID_URI_PLACEHOLDER } from "../../../src/entra/registration/model.js";
import { registerOptionsSchema } from "../../../src/entra/registration/options.js";
import { devTenantGraphPermissions } from "../../helpers/graph-permissions.js";

describe("the default Application ID URI", () => {
  const identifierUri = (serverUrl: string, flags: Record<string, unknown> = {}) =>
    desiredRegistration(registerOptionsSchema.parse({ preset: "remote", serverUrl, ...flags }), {
      projectName: "demo",
      graph: devTenantGraphPermissions(),
    }).identifierUri;

  it("is the server URL when it is https on a real host", () => {
    expect(identifierUri("https://mcp.contoso.com/mcp")).toBe("https://mcp.contoso.com/mcp");
  });

  it("is api://{appId} for http, and for https on localhost (never a verified domain)", () => {
    for (const url of [
      "http://localhost:3000/mcp",
      "https://localhost:3443/mcp",
      "https://127.0.0.1:3443/mcp",
      "https://[::1]:3443/mcp",
    ]) {
      expect(identifierUri(url), url).toBe(APP_ID_URI_PLACEHOLDER);
    }
  });

  it("is --app-id-uri when given", () => {
    expect(identifierUri("https://localhost:3443/mcp", { appIdUri: "api://demo" })).toBe("api://demo");
  });
});
