// The servers the end-to-end tests run against, each with a pinned program date.
// Servers with the same `dataDir` share one database: the partner journey reserves on one
// program date and delivers, redeems and requests payment on a later one. A server that shares
// a database starts after the one named in `after` is up (one of them creates and seeds it).
export type Server = { port: number; programDate: string; url: string; dataDir?: string; after?: string };

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
} as const satisfies Record<string, Server>;
