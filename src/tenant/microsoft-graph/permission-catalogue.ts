/**
 * The Microsoft Graph permissions the dev tenant's Microsoft Graph service principal publishes, as
 * its `oauth2PermissionScopes` (delegated) and `appRoles` (application): a selection of 58 names
 * (57 delegated scopes, 38 app roles) with their real ids, admin-consent flags and texts.
 *
 * Data, not logic (hence its length): transcribed from Microsoft's published catalogue of the Graph
 * service principal, `permissions/permissions-descriptions.json` of microsoftgraph/microsoft-graph-devx-content
 * (the list Graph Explorer shows; August 2026), which matches the ids in the Graph permissions reference.
 * mcp-entra's client code never reads this file: it asks the tenant's Graph service principal.
 */

export interface CataloguePermission {
  value: string;
  delegated?: {
    id: string;
    adminConsentRequired: boolean;
    adminConsentDisplayName: string;
    adminConsentDescription: string;
    userConsentDisplayName: string;
    userConsentDescription: string;
  };
  application?: { id: string; displayName: string; description: string };
}

export const MICROSOFT_GRAPH_PERMISSIONS: readonly CataloguePermission[] = [
  {
    value: "openid",
    delegated: {
      id: "37f7f235-527c-4136-accd-4a02d197296e",
      adminConsentRequired: false,
      adminConsentDisplayName: "Sign users in",
      adminConsentDescription:
        "Allows users to sign in to the app with their work or school accounts and allows the app to see basic user profile information.",
      userConsentDisplayName: "Sign in as you",
      userConsentDescription:
        "Allows you to sign in to the app with your work or school account and allows the app to read your basic profile information.",
    },
  },
  {
    value: "profile",
    delegated: {
      id: "14dad69e-099b-42c9-810b-d002981feec1",
      adminConsentRequired: false,
      adminConsentDisplayName: "View users' basic profile",
      adminConsentDescription:
        "Allows the app to see your users' basic profile (e.g., name, picture, user name, email address)",
      userConsentDisplayName: "View your basic profile",
      userConsentDescription:
        "Allows the app to see your basic profile (e.g., name, picture, user name, email address)",
    },
  },
  {
    value: "email",
    delegated: {
      id: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
      adminConsentRequired: false,
      adminConsentDisplayName: "View users' email address",
      adminConsentDescription: "Allows the app to read your users' primary email address",
      userConsentDisplayName: "View your email address",
      userConsentDescription: "Allows the app to read your primary email address",
    },
  },
  {
    value: "offline_access",
    delegated: {
      id: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
      adminConsentRequired: false,
      adminConsentDisplayName: "Maintain access to data you have given it access to",
      adminConsentDescription:
        "Allows the app to see and update the data you gave it access to, even when users are not currently using the app. This does not give the app any additional permissions.",
      userConsentDisplayName: "Maintain access to data you have given it access to",
      userConsentDescription:
        "Allows the app to see and update the data you gave it access to, even when you are not currently using the app. This does not give the app any additional permissions.",
    },
  },
  {
    value: "User.Read",
    delegated: {
      id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
      adminConsentRequired: false,
      adminConsentDisplayName: "Sign in and read user profile",
      adminConsentDescription:
        "Allows users to sign-in to the app, and allows the app to read the profile of signed-in users. It also allows the app to read basic company information of signed-in users.",
      userConsentDisplayName: "Sign you in and read your profile",
      userConsentDescription:
        "Allows you to sign in to the app with your organizational account and let the app read your profile. It also allows the app to read basic company information.",
    },
  },
  {
    value: "User.ReadWrite",
    delegated: {
      id: "b4e74841-8e56-480b-be8b-910348b18b4c",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read and write access to user profile",
      adminConsentDescription:
        "Allows the app to read your profile and basic company information. It also allows the app to update your profile information on your behalf.",
      userConsentDisplayName: "Read and update your profile",
      userConsentDescription:
        "Allows the app to read your profile and basic company information, and discover your group membership, reports and manager. It also allows the app to update your profile information on your behalf.",
    },
  },
  {
    value: "User.ReadBasic.All",
    delegated: {
      id: "b340eb25-3456-403f-be2f-af7a0d370277",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read all users' basic profiles",
      adminConsentDescription:
        "Allows the app to read a basic set of profile properties of other users in your organization on behalf of the signed-in user. This includes display name, first and last name, email address, photo, id and security identifier. Also allows the app to read the full profile of the signed-in user.",
      userConsentDisplayName: "Read all users' basic profiles",
      userConsentDescription:
        "Allows the app to read a basic set of profile properties of other users in your organization on your behalf. Includes display name, first and last name, email address, photo, id and security identifier. Also allows the app to read the full profile of the signed-in user.",
    },
    application: {
      id: "97235f07-e226-4f63-ace3-39588e11d3a1",
      displayName: "Read all users' basic profiles",
      description:
        "Allows the app to read a basic set of profile properties of users in your organization, without a signed-in user. This includes display name, first and last name, email address, photo, id and security identifier.",
    },
  },
  {
    value: "User.Read.All",
    delegated: {
      id: "a154be20-db9c-4678-8ab7-66f6cc099a59",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read all users' full profiles and company properties",
      adminConsentDescription:
        "Allows the app to read the full set of user properties of all users in the organization and read company properties, on behalf of the signed-in user.",
      userConsentDisplayName: "Read all users' full profiles and company properties",
      userConsentDescription:
        "Allows the app to read the full set of user properties of all users in the organization and read company properties, on your behalf.",
    },
    application: {
      id: "df021288-bdef-4463-88db-98f22de89214",
      displayName: "Read all users' full profiles and company properties",
      description:
        "Allows the app to read the full set of user properties of all users in the organization and read company properties without a signed in user.",
    },
  },
  {
    value: "User.ReadWrite.All",
    delegated: {
      id: "204e0828-b5ca-4ad8-b9f3-f32a958e7cc4",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read and write all users' full profiles",
      adminConsentDescription:
        "Allows the app to read and write the full set of profile properties, reports, and managers of other users in your organization, and read basic company properties, on behalf of the signed-in user.",
      userConsentDisplayName: "Read and write all users' full profiles",
      userConsentDescription:
        "Allows the app to read and write the full set of profile properties, reports, and managers of other users in your organization, and read basic company properties, on your behalf.",
    },
    application: {
      id: "741f803b-c850-494e-b5df-cde7c675a1ca",
      displayName: "Read and write all users' full profiles",
      description:
        "Allows the app to read and update user profiles and read basic company properties without a signed in user.",
    },
  },
  {
    value: "User.Invite.All",
    delegated: {
      id: "63dd7cd9-b489-4adf-a28c-ac38b9a0f962",
      adminConsentRequired: true,
      adminConsentDisplayName: "Invite guest users to the organization",
      adminConsentDescription:
        "Allows the app to invite guest users to the organization, on behalf of the signed-in user.",
      userConsentDisplayName: "Invite guest users to the organization",
      userConsentDescription: "Allows the app to invite guest users to the organization, on your behalf.",
    },
    application: {
      id: "09850681-111b-4a89-9bed-3f2cae46d706",
      displayName: "Invite guest users to the organization",
      description: "Allows the app to invite guest users to the organization, without a signed-in user.",
    },
  },
  {
    value: "Mail.Read",
    delegated: {
      id: "570282fd-fa5c-430d-a7fd-fc8dc98a9dca",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user mail",
      adminConsentDescription: "Allows the app to read the signed-in user's mailbox.",
      userConsentDisplayName: "Read your mail",
      userConsentDescription: "Allows the app to read email in your mailbox. ",
    },
    application: {
      id: "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
      displayName: "Read mail in all mailboxes",
      description: "Allows the app to read mail in all mailboxes without a signed-in user.",
    },
  },
  {
    value: "Mail.ReadBasic",
    delegated: {
      id: "a4b8392a-d8d1-4954-a029-8e668a39a170",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user basic mail",
      adminConsentDescription:
        "Allows the app to read email in the signed-in user's mailbox except body, previewBody, attachments and any extended properties.",
      userConsentDisplayName: "Read user basic mail",
      userConsentDescription:
        "Allows the app to read email in the signed-in user's mailbox except body, previewBody, attachments and any extended properties.",
    },
    application: {
      id: "6be147d2-ea4f-4b5a-a3fa-3eab6f3c140a",
      displayName: "Read basic mail in all mailboxes",
      description:
        "Allows the app to read basic mail properties in all mailboxes without a signed-in user. Includes all properties except body, previewBody, attachments and any extended properties.",
    },
  },
  {
    value: "Mail.ReadWrite",
    delegated: {
      id: "024d486e-b451-40bb-833d-3e66d98c5c73",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read and write access to user mail",
      adminConsentDescription:
        "Allows the app to create, read, update, and delete email in user mailboxes. Does not include permission to send mail. ",
      userConsentDisplayName: "Read and write access to your mail",
      userConsentDescription:
        "Allows the app to read, update, create and delete email in your mailbox. Does not include permission to send mail. ",
    },
    application: {
      id: "e2a3a72e-5f79-4c64-b1b1-878b674786c9",
      displayName: "Read and write mail in all mailboxes",
      description:
        "Allows the app to create, read, update, and delete mail in all mailboxes without a signed-in user. Does not include permission to send mail.",
    },
  },
  {
    value: "Mail.Send",
    delegated: {
      id: "e383f46e-2787-4529-855e-0e479a3ffac0",
      adminConsentRequired: false,
      adminConsentDisplayName: "Send mail as a user",
      adminConsentDescription: "Allows the app to send mail as users in the organization. ",
      userConsentDisplayName: "Send mail as you",
      userConsentDescription: "Allows the app to send mail as you. ",
    },
    application: {
      id: "b633e1c5-b582-4048-a93e-9f11b44c7e96",
      displayName: "Send mail as any user",
      description: "Allows the app to send mail as any user without a signed-in user.",
    },
  },
  {
    value: "Mail.Read.Shared",
    delegated: {
      id: "7b9103a5-4610-446b-9670-80643382c1fa",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user and shared mail",
      adminConsentDescription:
        "Allows the app to read mail a user can access, including their own and shared mail.",
      userConsentDisplayName: "Read mail you can access",
      userConsentDescription: "Allows the app to read mail you can access, including shared mail.",
    },
  },
  {
    value: "MailboxSettings.Read",
    delegated: {
      id: "87f447af-9fa4-4c32-9dfa-4a57a73d18ce",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user mailbox settings",
      adminConsentDescription:
        "Allows the app to the read user's mailbox settings. Does not include permission to send mail.",
      userConsentDisplayName: "Read your mailbox settings",
      userConsentDescription: "Allows the app to read your mailbox settings.",
    },
    application: {
      id: "40f97065-369a-49f4-947c-6a255697ae91",
      displayName: "Read all user mailbox settings",
      description:
        "Allows the app to read user's mailbox settings without a signed-in user. Does not include permission to send mail.",
    },
  },
  {
    value: "MailboxSettings.ReadWrite",
    delegated: {
      id: "818c620a-27a9-40bd-a6a5-d96f7d610b4b",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read and write user mailbox settings",
      adminConsentDescription:
        "Allows the app to create, read, update, and delete user's mailbox settings. Does not include permission to send mail.",
      userConsentDisplayName: "Read and write to your mailbox settings",
      userConsentDescription: "Allows the app to read, update, create, and delete your mailbox settings.",
    },
    application: {
      id: "6931bccd-447a-43d1-b442-00a195474933",
      displayName: "Read and write all user mailbox settings",
      description:
        "Allows the app to create, read, update, and delete user's mailbox settings without a signed-in user. Does not include permission to send mail.",
    },
  },
  {
    value: "Calendars.Read",
    delegated: {
      id: "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user calendars",
      adminConsentDescription: "Allows the app to read events in user calendars . ",
      userConsentDisplayName: "Read your calendars",
      userConsentDescription: "Allows the app to read events in your calendars. ",
    },
    application: {
      id: "798ee544-9d2d-430c-a058-570e29e34338",
      displayName: "Read calendars in all mailboxes",
      description: "Allows the app to read events of all calendars without a signed-in user.",
    },
  },
  {
    value: "Calendars.ReadWrite",
    delegated: {
      id: "1ec239c2-d7c9-4623-a91a-a9775856bb36",
      adminConsentRequired: false,
      adminConsentDisplayName: "Have full access to user calendars",
      adminConsentDescription:
        "Allows the app to create, read, update, and delete events in user calendars. ",
      userConsentDisplayName: "Have full access to your calendars",
      userConsentDescription: "Allows the app to read, update, create and delete events in your calendars. ",
    },
    application: {
      id: "ef54d2bf-783f-4e0f-bca1-3210c0444d99",
      displayName: "Read and write calendars in all mailboxes",
      description:
        "Allows the app to create, read, update, and delete events of all calendars without a signed-in user.",
    },
  },
  {
    value: "Calendars.Read.Shared",
    delegated: {
      id: "2b9c4092-424d-4249-948d-b43879977640",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user and shared calendars",
      adminConsentDescription:
        "Allows the app to read events in all calendars that the user can access, including delegate and shared calendars.",
      userConsentDisplayName: "Read calendars you can access",
      userConsentDescription:
        "Allows the app to read events in all calendars that you can access, including delegate and shared calendars. ",
    },
  },
  {
    value: "Contacts.Read",
    delegated: {
      id: "ff74d97f-43af-4b68-9f2a-b77ee6968c5d",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user contacts",
      adminConsentDescription: "Allows the app to read user contacts.  ",
      userConsentDisplayName: "Read your contacts",
      userConsentDescription: "Allows the app to read contacts in your contact folders. ",
    },
    application: {
      id: "089fe4d0-434a-44c5-8827-41ba8a0b17f5",
      displayName: "Read contacts in all mailboxes",
      description: "Allows the app to read all contacts in all mailboxes without a signed-in user.",
    },
  },
  {
    value: "Contacts.ReadWrite",
    delegated: {
      id: "d56682ec-c09e-4743-aaf4-1a3aac4caa21",
      adminConsentRequired: false,
      adminConsentDisplayName: "Have full access to user contacts",
      adminConsentDescription: "Allows the app to create, read, update, and delete user contacts. ",
      userConsentDisplayName: "Have full access of your contacts",
      userConsentDescription:
        "Allows the app to read, update, create and delete contacts in your contact folders. ",
    },
    application: {
      id: "6918b873-d17a-4dc1-b314-35f528134491",
      displayName: "Read and write contacts in all mailboxes",
      description:
        "Allows the app to create, read, update, and delete all contacts in all mailboxes without a signed-in user.",
    },
  },
  {
    value: "Files.Read",
    delegated: {
      id: "10465720-29dd-4523-a11a-6a75c743c9d9",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user files",
      adminConsentDescription: "Allows the app to read the signed-in user's files.",
      userConsentDisplayName: "Read your files",
      userConsentDescription: "Allows the app to read your files.",
    },
  },
  {
    value: "Files.ReadWrite",
    delegated: {
      id: "5c28f0bf-8a70-41f1-8ab2-9032436ddb65",
      adminConsentRequired: false,
      adminConsentDisplayName: "Have full access to user files",
      adminConsentDescription:
        "Allows the app to read, create, update and delete the signed-in user's files.",
      userConsentDisplayName: "Have full access to your files",
      userConsentDescription: "Allows the app to read, create, update, and delete your files.",
    },
  },
  {
    value: "Files.Read.All",
    delegated: {
      id: "df85f4d6-205c-4ac5-a5ea-6bf408dba283",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read all files that user can access",
      adminConsentDescription: "Allows the app to read all files the signed-in user can access.",
      userConsentDisplayName: "Read all files that you have access to",
      userConsentDescription: "Allows the app to read all files you can access.",
    },
    application: {
      id: "01d4889c-1287-42c6-ac1f-5d1e02578ef6",
      displayName: "Read files in all site collections",
      description: "Allows the app to read all files in all site collections without a signed in user.",
    },
  },
  {
    value: "Files.ReadWrite.All",
    delegated: {
      id: "863451e7-0667-486c-a5d6-d135439485f0",
      adminConsentRequired: false,
      adminConsentDisplayName: "Have full access to all files user can access",
      adminConsentDescription:
        "Allows the app to read, create, update and delete all files the signed-in user can access.",
      userConsentDisplayName: "Have full access to all files you have access to",
      userConsentDescription:
        "Allows the app to read, create, update and delete all files that you can access.",
    },
    application: {
      id: "75359482-378d-4052-8f01-80520e7db3cd",
      displayName: "Read and write files in all site collections",
      description:
        "Allows the app to read, create, update and delete all files in all site collections without a signed in user. ",
    },
  },
  {
    value: "Sites.Read.All",
    delegated: {
      id: "205e70e5-aba6-4c52-a976-6d2d46c48043",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read items in all site collections",
      adminConsentDescription:
        "Allows the application to read documents and list  items in all site collections on behalf of the signed-in user",
      userConsentDisplayName: "Read items in all site collections",
      userConsentDescription:
        "Allow the application to read documents and list items in all site collections on your behalf",
    },
    application: {
      id: "332a536c-c7ef-4017-ab91-336970924f0d",
      displayName: "Read items in all site collections ",
      description:
        "Allows the app to read documents and list items in all site collections without a signed in user.",
    },
  },
  {
    value: "Sites.ReadWrite.All",
    delegated: {
      id: "89fe6a52-be36-487e-b7d8-d061c450a026",
      adminConsentRequired: false,
      adminConsentDisplayName: "Edit or delete items in all site collections",
      adminConsentDescription:
        "Allows the application to edit or delete documents and list items in all site collections on behalf of the signed-in user.",
      userConsentDisplayName: "Edit or delete items in all site collections",
      userConsentDescription:
        "Allow the application to edit or delete documents and list items in all site collections on your behalf.",
    },
    application: {
      id: "9492366f-7969-46a4-8d15-ed1a20078fff",
      displayName: "Read and write items in all site collections",
      description:
        "Allows the app to create, read, update, and delete documents and list items in all site collections without a signed in user.",
    },
  },
  {
    value: "Notes.Read",
    delegated: {
      id: "371361e4-b9e2-4a3f-8315-2a301a3b0a3d",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user OneNote notebooks",
      adminConsentDescription: "Allows the app to read OneNote notebooks on behalf of the signed-in user.",
      userConsentDisplayName: "Read your OneNote notebooks",
      userConsentDescription: "Allows the app to read OneNote notebooks on your behalf.",
    },
  },
  {
    value: "Tasks.Read",
    delegated: {
      id: "f45671fb-e0fe-4b4b-be20-3d3ce43f1bcb",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user's tasks and task lists",
      adminConsentDescription:
        "Allows the app to read the signed-in user's tasks and task lists, including any shared with the user. Doesn't include permission to create, delete, or update anything.",
      userConsentDisplayName: "Read your tasks and task lists",
      userConsentDescription:
        "Allows the app to read your tasks and task lists, including any shared with you. Doesn't include permission to create, delete, or update anything.",
    },
  },
  {
    value: "Tasks.ReadWrite",
    delegated: {
      id: "2219042f-cab5-40cc-b0d2-16b1540b4c5f",
      adminConsentRequired: false,
      adminConsentDisplayName: "Create, read, update, and delete user's tasks and task lists",
      adminConsentDescription:
        "Allows the app to create, read, update, and delete the signed-in user's tasks and task lists, including any shared with the user.",
      userConsentDisplayName: "Create, read, update, and delete your tasks and task lists",
      userConsentDescription:
        "Allows the app to create, read, update, and delete your tasks and task lists, including any shared with you.",
    },
  },
  {
    value: "People.Read",
    delegated: {
      id: "ba47897c-39ec-4d83-8086-ee8256fa737d",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read users' relevant people lists",
      adminConsentDescription:
        "Allows the app to read a ranked list of relevant people of the signed-in user. The list includes local contacts, contacts from social networking, your organization's directory, and people from recent communications (such as email and Skype).",
      userConsentDisplayName: "Read your relevant people list",
      userConsentDescription:
        "Allows the app to read a list of people in the order that's most relevant to you. This includes your local contacts, your contacts from social networking, people listed in your organization's directory, and people from recent communications.",
    },
  },
  {
    value: "Presence.Read",
    delegated: {
      id: "76bc735e-aecd-4a1d-8b4c-2b915deabb79",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user's presence information",
      adminConsentDescription:
        "Allows the app to read presence information on behalf of the signed-in user. Presence information includes activity, availability, status note, calendar out-of-office message, timezone and location.",
      userConsentDisplayName: "Read your presence information",
      userConsentDescription:
        "Allows the app to read your presence information on your behalf. Presence information includes activity, availability, status note, calendar out-of-office message, timezone and location.",
    },
  },
  {
    value: "OnlineMeetings.ReadWrite",
    delegated: {
      id: "a65f2972-a4f8-4f5e-afd7-69ccb046d5dc",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read and create user's online meetings",
      adminConsentDescription:
        "Allows the app to read and create online meetings on behalf of the signed-in user.",
      userConsentDisplayName: "Read and create your online meetings",
      userConsentDescription: "Allows the app to read and create online meetings on your behalf.",
    },
  },
  {
    value: "Chat.Read",
    delegated: {
      id: "f501c180-9344-439a-bca0-6cbf209fd270",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read user chat messages",
      adminConsentDescription:
        "Allows an app to read 1 on 1 or group chats threads, on behalf of the signed-in user.",
      userConsentDisplayName: "Read your chat messages",
      userConsentDescription:
        "Allows an app to read your 1 on 1 or group chat messages in Microsoft Teams, on your behalf.",
    },
  },
  {
    value: "Chat.ReadWrite",
    delegated: {
      id: "9ff7295e-131b-4d94-90e1-69fde507ac11",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read and write user chat messages",
      adminConsentDescription:
        "Allows an app to read and write 1 on 1 or group chats threads, on behalf of the signed-in user.",
      userConsentDisplayName: "Read and write your chat messages",
      userConsentDescription:
        "Allows an app to read and write your 1 on 1 or group chat messages in Microsoft Teams, on your behalf.",
    },
  },
  {
    value: "ChannelMessage.Send",
    delegated: {
      id: "ebf0f66e-9fb1-49e4-a278-222f76911cf4",
      adminConsentRequired: false,
      adminConsentDisplayName: "Send channel messages",
      adminConsentDescription:
        "Allows an app to send channel messages in Microsoft Teams, on behalf of the signed-in user.",
      userConsentDisplayName: "Send channel messages",
      userConsentDescription: "Allows the app to send channel messages in Microsoft Teams, on your behalf.",
    },
  },
  {
    value: "Team.ReadBasic.All",
    delegated: {
      id: "485be79e-c497-4b35-9400-0e3fa7f2a5d4",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read the names and descriptions of teams",
      adminConsentDescription: "Read the names and  descriptions of teams, on behalf of the signed-in user.",
      userConsentDisplayName: "Read the names and descriptions of teams",
      userConsentDescription: "Read the names and  descriptions of teams, on your behalf.",
    },
    application: {
      id: "2280dda6-0bfd-44ee-a2f4-cb867cfc4c1e",
      displayName: "Get a list of all teams",
      description: "Get a list of all teams, without a signed-in user.",
    },
  },
  {
    value: "Channel.ReadBasic.All",
    delegated: {
      id: "9d8982ae-4365-4f57-95e9-d6032a4c0b87",
      adminConsentRequired: false,
      adminConsentDisplayName: "Read the names and descriptions of channels",
      adminConsentDescription:
        "Read channel names and channel descriptions, on behalf of the signed-in user.",
      userConsentDisplayName: "Read the names and descriptions of channels",
      userConsentDescription: "Read channel names and channel descriptions, on your behalf.",
    },
    application: {
      id: "59a6b24b-4225-4393-8165-ebaec5f55d7a",
      displayName: "Read the names and descriptions  of all channels",
      description: "Read all channel names and channel descriptions, without a signed-in user.",
    },
  },
  {
    value: "Group.Read.All",
    delegated: {
      id: "5f8c59db-677d-491f-a6b8-5f174b11ec1d",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read all groups",
      adminConsentDescription:
        "Allows the app to list groups, and to read their properties and all group memberships on behalf of the signed-in user.  Also allows the app to read calendar, conversations, files, and other group content for all groups the signed-in user can access. ",
      userConsentDisplayName: "Read all groups",
      userConsentDescription:
        "Allows the app to list groups, and to read their properties and all group memberships on your behalf.  Also allows the app to read calendar, conversations, files, and other group content for all groups you can access.  ",
    },
    application: {
      id: "5b567255-7703-4780-807c-7be8301ae99b",
      displayName: "Read all groups",
      description:
        "Allows the app to read group properties and memberships, and read conversations for all groups, without a signed-in user.",
    },
  },
  {
    value: "Group.ReadWrite.All",
    delegated: {
      id: "4e46008b-f24c-477d-8fff-7bb4ec7aafe0",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read and write all groups",
      adminConsentDescription:
        "Allows the app to create groups and read all group properties and memberships on behalf of the signed-in user.  Additionally allows group owners to manage their groups and allows group members to update group content.",
      userConsentDisplayName: "Read and write all groups",
      userConsentDescription:
        "Allows the app to create groups and read all group properties and memberships on your behalf.  Additionally allows the app to manage your groups and to update group content for groups you are a member of.",
    },
    application: {
      id: "62a82d76-70ea-41e2-9197-370581804d09",
      displayName: "Read and write all groups",
      description:
        "Allows the app to create groups, read all group properties and memberships, update group properties and memberships, and delete groups. Also allows the app to read and write conversations. All of these operations can be performed by the app without a signed-in user.",
    },
  },
  {
    value: "GroupMember.Read.All",
    delegated: {
      id: "bc024368-1153-4739-b217-4326f2e966d0",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read group memberships",
      adminConsentDescription:
        "Allows the app to list groups, read basic group properties and read membership of all groups the signed-in user has access to.",
      userConsentDisplayName: "Read group memberships",
      userConsentDescription:
        "Allows the app to list groups, read basic group properties and read membership of all your groups.",
    },
    application: {
      id: "98830695-27a2-44f7-8c18-0c3ebc9698f6",
      displayName: "Read all group memberships",
      description:
        "Allows the app to read memberships and basic group properties for all groups without a signed-in user.",
    },
  },
  {
    value: "Directory.Read.All",
    delegated: {
      id: "06da0dbc-49e2-44d2-8312-53f166ab848a",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read directory data",
      adminConsentDescription:
        "Allows the app to read data in your organization's directory, such as users, groups and apps.",
      userConsentDisplayName: "Read directory data",
      userConsentDescription: "Allows the app to read data in your organization's directory.",
    },
    application: {
      id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
      displayName: "Read directory data",
      description:
        "Allows the app to read data in your organization's directory, such as users, groups and apps, without a signed-in user.",
    },
  },
  {
    value: "Directory.ReadWrite.All",
    delegated: {
      id: "c5366453-9fb0-48a5-a156-24f0c49a4b84",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read and write directory data",
      adminConsentDescription:
        "Allows the app to read and write data in your organization's directory, such as users, and groups.  It does not allow the app to delete users or groups, or reset user passwords.",
      userConsentDisplayName: "Read and write directory data",
      userConsentDescription:
        "Allows the app to read and write data in your organization's directory, such as other users, groups.  It does not allow the app to delete users or groups, or reset user passwords.",
    },
    application: {
      id: "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
      displayName: "Read and write directory data",
      description:
        "Allows the app to read and write data in your organization's directory, such as users, and groups, without a signed-in user.  Does not allow user or group deletion.",
    },
  },
  {
    value: "Directory.AccessAsUser.All",
    delegated: {
      id: "0e263e50-5827-48a4-b97c-d940288653c7",
      adminConsentRequired: true,
      adminConsentDisplayName: "Access directory as the signed in user",
      adminConsentDescription:
        "Allows the app to have the same access to information in the directory as the signed-in user.",
      userConsentDisplayName: "Access the directory as you",
      userConsentDescription:
        "Allows the app to have the same access to information in your work or school directory as you do.",
    },
  },
  {
    value: "Organization.Read.All",
    delegated: {
      id: "4908d5b9-3fb2-4b1e-9336-1888b7937185",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read organization information",
      adminConsentDescription:
        "Allows the app to read the organization and related resources, on behalf of the signed-in user. Related resources include things like subscribed skus and tenant branding information.",
      userConsentDisplayName: "Read organization information",
      userConsentDescription:
        "Allows the app to read the organization and related resources, on your behalf. Related resources include things like subscribed skus and tenant branding information.",
    },
    application: {
      id: "498476ce-e0fe-48b0-b801-37ba7e2685c6",
      displayName: "Read organization information",
      description:
        "Allows the app to read the organization and related resources, without a signed-in user. Related resources include things like subscribed skus and tenant branding information.",
    },
  },
  {
    value: "Domain.Read.All",
    delegated: {
      id: "2f9ee017-59c1-4f1d-9472-bd5529a7b311",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read domains",
      adminConsentDescription:
        "Allows the app to read all domain properties on behalf of the signed-in user.",
      userConsentDisplayName: "Read domains",
      userConsentDescription: "Allows the app to read all domain properties on your behalf.",
    },
    application: {
      id: "dbb9058a-0e50-45d7-ae91-66909b5d4664",
      displayName: "Read domains",
      description: "Allows the app to read all domain properties without a signed-in user.",
    },
  },
  {
    value: "Device.Read.All",
    delegated: {
      id: "951183d1-1a61-466f-a6d1-1fde911bfd95",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read all devices",
      adminConsentDescription:
        "Allows the app to read your organization's devices' configuration information on behalf of the signed-in user.",
      userConsentDisplayName: "Read all devices",
      userConsentDescription: "Allows the app to read devices' configuration information on your behalf.",
    },
    application: {
      id: "7438b122-aefc-4978-80ed-43db9fcc7715",
      displayName: "Read all devices",
      description:
        "Allows the app to read your organization's devices' configuration information without a signed-in user.",
    },
  },
  {
    value: "Application.Read.All",
    delegated: {
      id: "c79f8feb-a9db-4090-85f9-90d820caa0eb",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read applications",
      adminConsentDescription:
        "Allows the app to read applications and service principals on behalf of the signed-in user.",
      userConsentDisplayName: "Read applications",
      userConsentDescription: "Allows the app to read applications and service principals on your behalf.",
    },
    application: {
      id: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
      displayName: "Read all applications",
      description: "Allows the app to read all applications and service principals without a signed-in user.",
    },
  },
  {
    value: "Application.ReadWrite.All",
    delegated: {
      id: "bdfbf15f-ee85-4955-8675-146e8e5296b5",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read and write all applications",
      adminConsentDescription:
        "Allows the app to create, read, update and delete applications and service principals on behalf of the signed-in user. Does not allow management of consent grants.",
      userConsentDisplayName: "Read and write applications",
      userConsentDescription:
        "Allows the app to create, read, update and delete applications and service principals on your behalf. Does not allow management of consent grants.",
    },
    application: {
      id: "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
      displayName: "Read and write all applications",
      description:
        "Allows the app to create, read, update and delete applications and service principals without a signed-in user.  Does not allow management of consent grants.",
    },
  },
  {
    value: "Application.ReadWrite.OwnedBy",
    application: {
      id: "18a4783c-866b-4cc7-a460-3d5e5662c884",
      displayName: "Manage apps that this app creates or owns",
      description:
        "Allows the app to create other applications, and fully manage those applications (read, update, update application secrets and delete), without a signed-in user.  It cannot update any apps that it is not an owner of.",
    },
  },
  {
    value: "AppRoleAssignment.ReadWrite.All",
    delegated: {
      id: "84bccea3-f856-4a8a-967b-dbe0a3d53a64",
      adminConsentRequired: true,
      adminConsentDisplayName: "Manage app permission grants and app role assignments",
      adminConsentDescription:
        "Allows the app to manage permission grants for application permissions to any API (including Microsoft Graph) and application assignments for any app, on behalf of the signed-in user.",
      userConsentDisplayName: "Manage app permission grants and app role assignments",
      userConsentDescription:
        "Allows the app to manage permission grants for application permissions to any API (including Microsoft Graph) and application assignments for any app, on your behalf.",
    },
    application: {
      id: "06b708a9-e830-4db3-a914-8e69da51d44f",
      displayName: "Manage app permission grants and app role assignments",
      description:
        "Allows the app to manage permission grants for application permissions to any API (including Microsoft Graph) and application assignments for any app, without a signed-in user.",
    },
  },
  {
    value: "DelegatedPermissionGrant.ReadWrite.All",
    delegated: {
      id: "41ce6ca6-6826-4807-84f1-1c82854f7ee5",
      adminConsentRequired: true,
      adminConsentDisplayName: "Manage all delegated permission grants",
      adminConsentDescription:
        "Allows the app to manage permission grants for delegated permissions exposed by any API (including Microsoft Graph), on behalf of the signed in user.",
      userConsentDisplayName: "Manage all delegated permission grants",
      userConsentDescription:
        "Allows the app to manage permission grants for delegated permissions exposed by any API (including Microsoft Graph), on your behalf. ",
    },
    application: {
      id: "8e8e4742-1d95-4f68-9d56-6ee75648c72a",
      displayName: "Manage all delegated permission grants",
      description:
        "Allows the app to manage permission grants for delegated permissions exposed by any API (including Microsoft Graph), without a signed-in user.",
    },
  },
  {
    value: "AuditLog.Read.All",
    delegated: {
      id: "e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read audit log data",
      adminConsentDescription:
        "Allows the app to read and query your audit log activities, on behalf of the signed-in user.",
      userConsentDisplayName: "Read audit log data",
      userConsentDescription: "Allows the app to read and query your audit log activities, on your behalf.",
    },
    application: {
      id: "b0afded3-3588-46d8-8b3d-9842eff778da",
      displayName: "Read all audit log data",
      description: "Allows the app to read and query your audit log activities, without a signed-in user.",
    },
  },
  {
    value: "Policy.Read.All",
    delegated: {
      id: "572fea84-0151-49b2-9301-11cb16974376",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read your organization's policies",
      adminConsentDescription:
        "Allows the app to read your organization's policies on behalf of the signed-in user.",
      userConsentDisplayName: "Read your organization's policies",
      userConsentDescription: "Allows the app to read your organization's policies on your behalf.",
    },
    application: {
      id: "246dd0d5-5bd0-4def-940b-0421030a5b68",
      displayName: "Read your organization's policies",
      description: "Allows the app to read all your organization's policies without a signed in user.",
    },
  },
  {
    value: "RoleManagement.Read.Directory",
    delegated: {
      id: "741c54c3-0c1e-44a1-818b-3f97ab4e8c83",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read directory RBAC settings",
      adminConsentDescription:
        "Allows the app to read the role-based access control (RBAC) settings for your company's directory, on behalf of the signed-in user.  This includes reading directory role templates, directory roles and memberships.",
      userConsentDisplayName: "Read directory RBAC settings",
      userConsentDescription:
        "Allows the app to read the role-based access control (RBAC) settings for your company's directory, on your behalf.  This includes reading directory role templates, directory roles and memberships.",
    },
    application: {
      id: "483bed4a-2ad3-4361-a73b-c83ccdbdc53c",
      displayName: "Read all directory RBAC settings",
      description:
        "Allows the app to read the role-based access control (RBAC) settings for your company's directory, without a signed-in user.  This includes reading directory role templates, directory roles and memberships.",
    },
  },
  {
    value: "Reports.Read.All",
    delegated: {
      id: "02e97553-ed7b-43d0-ab3c-f8bace0d040c",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read all usage reports",
      adminConsentDescription:
        "Allows an app to read all service usage reports on behalf of the signed-in user.  Services that provide usage reports include Office 365 and Azure Active Directory.",
      userConsentDisplayName: "Read all usage reports",
      userConsentDescription:
        "Allows an app to read all service usage reports on your behalf. Services that provide usage reports include Office 365 and Azure Active Directory.",
    },
    application: {
      id: "230c1aed-a721-4c5d-9cb4-a90514e508ef",
      displayName: "Read all usage reports",
      description:
        "Allows an app to read all service usage reports without a signed-in user.  Services that provide usage reports include Office 365 and Azure Active Directory.",
    },
  },
  {
    value: "Synchronization.ReadWrite.All",
    delegated: {
      id: "7bb27fa3-ea8f-4d67-a916-87715b6188bd",
      adminConsentRequired: true,
      adminConsentDisplayName: "Read and write all Azure AD synchronization data",
      adminConsentDescription:
        "Allows the app to configure the Azure AD synchronization service, on behalf of the signed-in user.",
      userConsentDisplayName: "Read and write all Azure AD synchronization data",
      userConsentDescription:
        "Allows the app to configure the Azure AD synchronization service, on your behalf.",
    },
    application: {
      id: "9b50c33d-700f-43b1-b2eb-87e89b703581",
      displayName: "Read and write all Azure AD synchronization data. ",
      description:
        "Allows the application to configure the Azure AD synchronization service, without a signed-in user.",
    },
  },
];
