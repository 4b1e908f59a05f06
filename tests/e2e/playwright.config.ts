// Playwright drives Debian's Chromium against real servers serving the release build.
// Two servers run side by side, each with its program date pinned, so the timeline can be
// checked on both sides of a milestone. scripts/test sets the environment variables used here.
import { defineConfig } from "@playwright/test";
import * as path from "path";
import { OIDC_PROVIDER, SERVERS, SMTP_SINK, type Server } from "./specs/servers";
import { CHROMIUM } from "./chromium.mjs";

const repoRoot = process.env.PORTAL_REPO_ROOT ?? path.resolve(__dirname, "../..");
const serverBin = process.env.PORTAL_SERVER_BIN ?? path.join(repoRoot, "target/debug/planning-server");
const dataRoot = process.env.E2E_DATA_DIR ?? path.join(repoRoot, "target/e2e-data");

export default defineConfig({
  testDir: "./specs",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: SERVERS.midProgram.url,
    trace: "retain-on-failure",
    launchOptions: CHROMIUM,
  },
  // The SMTP sink and the OpenID provider first, so the mail job of the account server finds the
  // sink from its first pass and the single sign-on server finds its provider.
  webServer: [
    {
      command: `exec node smtp-sink.mjs ${SMTP_SINK.smtpPort} ${new URL(SMTP_SINK.url).port}`,
      url: `${SMTP_SINK.url}/messages`,
      reuseExistingServer: false,
      timeout: 10_000,
      stdout: "ignore" as const,
      stderr: "pipe" as const,
    },
    {
      command: [
        "exec node oidc-provider.mjs",
        OIDC_PROVIDER.port,
        OIDC_PROVIDER.clientId,
        OIDC_PROVIDER.clientSecret,
        `${SERVERS.sso.url}/api/v1/session/oidc/callback`,
      ].join(" "),
      url: `${OIDC_PROVIDER.url}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 10_000,
      stdout: "ignore" as const,
      stderr: "ignore" as const,
    },
  ].concat(Object.values(SERVERS as Record<string, Server>).map((server) => ({
    command: [
      // A server sharing a database waits until the first one has created and seeded it.
      server.after ? `until curl -sf ${server.after}/api/v1/health >/dev/null; do sleep 0.2; done;` : "",
      "exec",
      JSON.stringify(serverBin),
      `--port ${server.port}`,
      `--program-date ${server.programDate}`,
      `--data-dir ${JSON.stringify(path.join(dataRoot, server.dataDir ?? server.programDate))}`,
      `--dist-dir ${JSON.stringify(path.join(repoRoot, "dist"))}`,
      `--program-config ${JSON.stringify(path.join(repoRoot, "crates/server/config/program.toml"))}`,
      ...(server.args ?? []),
    ].join(" "),
    url: `${server.url}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
  }))),
});
