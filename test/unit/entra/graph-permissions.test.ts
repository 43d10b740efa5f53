import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { nearestNames } from "../../../src/entra/graph-permissions.js";
import { devTenantGraphPermissions } from "../../helpers/graph-permissions.js";

describe("Graph permission names", () => {
  const graph = devTenantGraphPermissions();
  const delegated = graph.servicePrincipal.oauth2PermissionScopes.map((scope) => scope.value!);

  it("resolve case-insensitively to the value and id the service principal publishes", () => {
    expect(graph.resolve("delegated", ["mail.read"])).toEqual([
      { value: "Mail.Read", id: "570282fd-fa5c-430d-a7fd-fc8dc98a9dca" },
    ]);
    expect(graph.resolve("application", ["User.Read.All"])).toEqual([
      { value: "User.Read.All", id: "df021288-bdef-4463-88db-98f22de89214" },
    ]);
    expect(graph.valueOf("7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "Scope")).toBe("offline_access");
  });

  it("suggest the nearest names: a typo first, then names that contain what was typed", () => {
    expect(nearestNames("Mail.Raed", delegated)[0]).toBe("Mail.Read");
    expect(nearestNames("Calendars", delegated)).toEqual(
      expect.arrayContaining(["Calendars.Read", "Calendars.ReadWrite"]),
    );
    expect(nearestNames("Quantum.Teleport.All", delegated)).toEqual([]);
  });

  it("an unknown name is a usage error (exit 2) that names the flag", () => {
    const error = (() => {
      try {
        graph.resolve("application", ["Mail.Raed"]);
      } catch (caught) {
        return caught as UsageError;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toBe(
      "--graph-app-permission: Microsoft Graph has no application permission Mail.Raed.",
    );
    expect(error?.suggestion).toMatch(/^did you mean Mail\.Read\b/);
  });
});
