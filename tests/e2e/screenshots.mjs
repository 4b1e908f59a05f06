// Takes screenshots of the portal's pages for people to look at (not a test).
// Usage: node screenshots.mjs [base URL] [output dir] [name filter]
// Pages with an email are taken signed in as that demo user.
import { chromium } from "playwright-core";
import * as fs from "fs";
import { CHROMIUM } from "./chromium.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const out = process.argv[3] ?? "../../screenshots";
const only = process.argv[4];
fs.mkdirSync(out, { recursive: true });

const pages = [
  ["home", "/"],
  ["sign-in", "/sign-in"],
  ["account", "/account", "ga@contoso.example"],
  ["not-found", "/no/such/page"],
  ["inbox", "/inbox", "admin@contoso.example"],
  ["partner-dashboard", "/partner", "admin@contoso.example"],
  ["vouchers", "/vouchers", "admin@contoso.example"],
  ["reserve", "/vouchers/reserve", "admin@contoso.example"],
  ["voucher", "/vouchers/210510000103", "admin@contoso.example"],
  ["voucher-claimed", "/vouchers/210310000108", "admin@contoso.example"],
  ["voucher-redeemed", "/vouchers/210301000105", "admin@contoso.example"],
  ["eligibility", "/partner/eligibility", "ga@fabrikam.example"],
  ["enrollment", "/partner/enrollment", "ga@contoso.example"],
  ["business-profile", "/partner/profile", "ga@contoso.example"],
  ["payments", "/payments", "ga@contoso.example"],
  ["customer-benefits", "/customer", "benefits@northwind.example"],
  ["customer-pm", "/customer", "pm@northwind.example"],
  ["directory", "/directory"],
  ["directory-profile", "/directory/1"],
  ["review-queue", "/review", "operator@microsoft.example"],
  ["review-detail", "/review/PR-0000000002", "operator@microsoft.example"],
  ["operations", "/operations", "operator@microsoft.example"],
  ["partner-records", "/operations/partners", "operator@microsoft.example"],
].filter(([name]) => !only || name.startsWith(only));
// The narrowest phone the layout supports, a laptop, a wide desktop.
const viewports = [
  ["320", { width: 320, height: 640 }],
  ["1280", { width: 1280, height: 900 }],
  ["1920", { width: 1920, height: 1080 }],
];

const browser = await chromium.launch(CHROMIUM);
for (const locale of ["en", "ko"]) {
  for (const [viewportName, viewport] of viewports) {
    const context = await browser.newContext({ viewport, locale });
    await context.addInitScript((tag) => localStorage.setItem("portal.locale", tag), locale);
    const page = await context.newPage();
    let signedInAs;
    for (const [name, path, email] of pages) {
      if (!email && signedInAs) {
        await context.clearCookies();
        await page.evaluate(() => localStorage.removeItem("portal.signed-in"));
        signedInAs = undefined;
      }
      if (email && email !== signedInAs) {
        await context.clearCookies();
        await page.goto(base + "/sign-in");
        await page.locator("#email").fill(email);
        await page.locator("#password").fill("planning-demo-2021");
        // The sign-in page also holds the code and reset steps (hidden): press the visible submit.
        await page.locator("main form button[type=submit]:visible").click();
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
