// The servers the end-to-end tests run against, each with a pinned program date.
export const SERVERS = {
  // Voucher creation closed (after 2021-06-30), redemption still open.
  midProgram: { port: 18481, programDate: "2021-07-15", url: "http://127.0.0.1:18481" },
  // The day after the last redemption day: redemption closed, payment requests still open.
  afterRedemption: { port: 18482, programDate: "2022-01-02", url: "http://127.0.0.1:18482" },
} as const;
