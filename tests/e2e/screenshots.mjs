// Takes screenshots of the portal's pages for people to look at (not a test).
// Usage: node screenshots.mjs [base URL] [output dir] [name filter]
// Pages with an email are taken signed in as that demo user.
import { chromium } from "playwright-core";
import * as fs from "fs";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const out = process.argv[3] ?? "../../screenshots";
const only = process.argv[4];
fs.mkdirSync(out, { recursive: true });

const pages = [
  ["home", "/"],
  ["not-found", "/no/such/page"],
  ["customer-benefits", "/customer", "benefits@northwind.example"],
  ["customer-pm", "/customer", "pm@northwind.example"],
  ["directory", "/directory"],
  ["directory-profile", "/directory/1"],
  ["review-queue", "/review", "operator@microsoft.example"],
  ["review-detail", "/review/PR-0000000002", "operator@microsoft.example"],
  ["operations", "/operations", "operator@microsoft.example"],
].filter(([name]) => !only || name.startsWith(only));
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
    let signedInAs;
    for (const [name, path, email] of pages) {
      if (email && email !== signedInAs) {
        await context.clearCookies();
        await page.goto(base + "/sign-in");
        await page.locator("#email").fill(email);
        await page.locator("#password").fill("planning-demo-2021");
        await page.locator("main form button[type=submit]").click();
        await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
        signedInAs = email;
      }
      await page.goto(base + path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(300);
      const file = `${out}/${name}-${locale}-${viewportName}.png`;
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await context.close();
  }
}
await browser.close();
