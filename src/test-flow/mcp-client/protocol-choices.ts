/** --protocol: both revisions (2026-07-28 first, then the 2025-11-25 `initialize`), or one of them. */
export const PROTOCOL_CHOICES = ["auto", "2026-07-28", "2025-11-25"] as const;
export type ProtocolChoice = (typeof PROTOCOL_CHOICES)[number];
