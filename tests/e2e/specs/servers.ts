// The servers the end-to-end tests run against, each with a pinned program date.
// Servers with the same `dataDir` share one database: the partner journey reserves on one
// program date and delivers, redeems and requests payment on a later one. A server that shares
// a database starts after the one named in `after` is up (one of them creates and seeds it).
export type Server = {
  port: number;
  programDate: string;
  url: string;
  dataDir?: string;
  after?: string;
  /** Further flags of the server. */
  args?: string[];
};

/** The SMTP sink of account.spec.ts (smtp-sink.mjs): SMTP on one port, what it got on the other. */
export const SMTP_SINK = { smtpPort: 18494, url: "http://127.0.0.1:18493" };

/** The OpenID provider of sso.spec.ts (oidc-provider.mjs) and the portal's client there. */
export const OIDC_PROVIDER = {
  port: 18495,
  url: "http://127.0.0.1:18495",
  clientId: "planning-portal",
  clientSecret: "sso-spec-client-secret",
};

export const SERVERS = {
  // Voucher creation closed (after 2021-06-30), redemption still open.
  midProgram: { port: 18481, programDate: "2021-07-15", url: "http://127.0.0.1:18481" },
  // The day after the last redemption day: redemption closed, payment requests still open.
  afterRedemption: { port: 18482, programDate: "2022-01-02", url: "http://127.0.0.1:18482" },
  // The partner journey: reservations on the demo date...
  journeyReserve: {
    port: 18484,
    programDate: "2021-07-15",
    url: "http://127.0.0.1:18484",
    dataDir: "journey",
  },
  // ...delivery, the completion report, redemption and payment three weeks later.
  journeyDeliver: {
    port: 18485,
    programDate: "2021-08-10",
    url: "http://127.0.0.1:18485",
    dataDir: "journey",
    after: "http://127.0.0.1:18484",
  },
  // The customer journeys: voucher creation is still open (until 2021-06-30).
  customerJourney: { port: 18486, programDate: "2021-06-15", url: "http://127.0.0.1:18486", dataDir: "customer" },
  // The operator's decisions change payment requests: their own data, apart from midProgram's.
  operatorJourney: { port: 18487, programDate: "2021-07-15", url: "http://127.0.0.1:18487", dataDir: "operator" },
  // The journey across every role: created and reserved while creation is open...
  crossCreate: { port: 18488, programDate: "2021-06-15", url: "http://127.0.0.1:18488", dataDir: "cross" },
  // ...delivered, reported, redeemed, requested, approved and paid a month later, same database.
  crossDeliver: {
    port: 18489,
    programDate: "2021-07-15",
    url: "http://127.0.0.1:18489",
    dataDir: "cross",
    after: "http://127.0.0.1:18488",
  },
  // The partner journey by keyboard alone (keyboard.spec.ts): its own database, reserved on the
  // demo date...
  keyboardReserve: { port: 18490, programDate: "2021-07-15", url: "http://127.0.0.1:18490", dataDir: "keyboard" },
  // ...reported, redeemed and requested for payment later.
  keyboardDeliver: {
    port: 18491,
    programDate: "2021-08-10",
    url: "http://127.0.0.1:18491",
    dataDir: "keyboard",
    after: "http://127.0.0.1:18490",
  },
  // Password change and reset, two-step sign-in (account.spec.ts): its own database, mail to the
  // SMTP sink, links to itself.
  account: {
    port: 18492,
    programDate: "2021-07-15",
    url: "http://127.0.0.1:18492",
    dataDir: "account",
    args: ["--smtp-url smtp://127.0.0.1:18494", "--public-url http://127.0.0.1:18492"],
  },
  // Single sign-on through the OpenID provider (sso.spec.ts): its own database, since one test
  // turns Fabrikam's local passwords off.
  sso: {
    port: 18496,
    programDate: "2021-07-15",
    url: "http://127.0.0.1:18496",
    dataDir: "sso",
    args: [
      "--public-url http://127.0.0.1:18496",
      `--oidc-issuer ${OIDC_PROVIDER.url}`,
      `--oidc-client-id ${OIDC_PROVIDER.clientId}`,
      `--oidc-client-secret ${OIDC_PROVIDER.clientSecret}`,
    ],
  },
} as const satisfies Record<string, Server>;

export const DEMO_PASSWORD = "planning-demo-2021";
