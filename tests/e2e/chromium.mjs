// How every browser here is started: Debian's Chromium (TOOLCHAIN.md), headless in a container.
// Shared by playwright.config.ts, benchmark.mjs and screenshots.mjs.
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
