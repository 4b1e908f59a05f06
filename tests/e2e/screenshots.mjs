// Takes screenshots of the portal's pages for people to look at (not a test).
// Usage: node screenshots.mjs [base URL] [output dir]
import { chromium } from "playwright-core";
import * as fs from "fs";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const out = process.argv[3] ?? "../../screenshots";
fs.mkdirSync(out, { recursive: true });

const pages = [
  ["home", "/"],
  ["not-found", "/no/such/page"],
];
const viewports = [
  ["desktop", { width: 1280, height: 900 }],
  ["mobile", { width: 390, height: 844 }],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
for (const locale of ["en", "ko"]) {
  for (const [viewportName, viewport] of viewports) {
    const context = await browser.newContext({ viewport, locale });
    await context.addInitScript((tag) => localStorage.setItem("portal.locale", tag), locale);
    const page = await context.newPage();
    for (const [name, path] of pages) {
      await page.goto(base + path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForTimeout(200);
      const file = `${out}/${name}-${locale}-${viewportName}.png`;
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await context.close();
  }
}
await browser.close();
