// Shared helpers of the accessibility specs: a page in a chosen language, signed in through the
// API, and axe-core's WCAG 2.2 AA rules run over what is on screen.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";
import { DEMO_PASSWORD, SERVERS } from "./servers";

export type Lang = "en" | "ko";
export const LANGS: Lang[] = ["en", "ko"];
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** A fresh page whose app starts in `lang`, signed in as `email` (if any) on `base`. */
export async function pageIn(browser: Browser, base: string, lang: Lang, email?: string, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: lang === "ko" ? "ko-KR" : "en-US", viewport });
  await context.addInitScript(
    ([tag, signedIn]) => {
      localStorage.setItem("portal.locale", tag);
      if (signedIn) localStorage.setItem("portal.signed-in", "1");
    },
    [lang, email ? "1" : ""] as const,
  );
  if (email) {
    const response = await context.request.post(base + "/api/v1/session", { data: { email, password: DEMO_PASSWORD } });
    expect(response.status()).toBe(200);
  }
  return context.newPage();
}

/** Waits until the page has its heading, its data and no "Loading…" left. */
export async function settle(page: Page) {
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  await page.waitForLoadState("networkidle");
  await expect(page.locator(".loading:visible")).toHaveCount(0);
}

/** Runs axe over the page (shadow roots included) and fails with each violation's rule and nodes. */
export async function expectNoViolations(page: Page, state: string, lang: Lang) {
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(" ")} — ${node.failureSummary?.split("\n").join(" ")}`).join("\n"),
  );
  expect.soft(found, `axe WCAG 2.2 AA violations on ${state} (${lang})`).toEqual([]);
  return results;
}

/** Every page of the portal, with the demo user who sees the most of it. */
export const PAGES: { name: string; path: string; email?: string; site?: string }[] = [
  { name: "home", path: "/" },
  { name: "sign-in", path: "/sign-in" },
  { name: "account", path: "/account", email: "admin@contoso.example" },
  { name: "not-found", path: "/no/such/page" },
  { name: "inbox", path: "/inbox", email: "admin@contoso.example" },
  { name: "partner-dashboard", path: "/partner", email: "admin@contoso.example" },
  { name: "eligibility", path: "/partner/eligibility", email: "ga@fabrikam.example" },
  { name: "enrollment", path: "/partner/enrollment", email: "ga@contoso.example" },
  { name: "business-profile", path: "/partner/profile", email: "ga@contoso.example" },
  { name: "vouchers", path: "/vouchers", email: "admin@contoso.example" },
  { name: "reserve", path: "/vouchers/reserve", email: "admin@contoso.example" },
  { name: "voucher", path: "/vouchers/210510000103", email: "admin@contoso.example" },
  { name: "payments", path: "/payments", email: "ga@contoso.example" },
  { name: "customer-benefits", path: "/customer", email: "benefits@northwind.example", site: SERVERS.customerJourney.url },
  { name: "customer-pm", path: "/customer", email: "pm@northwind.example" },
  { name: "directory", path: "/directory" },
  { name: "directory-profile", path: "/directory/1" },
  { name: "review-queue", path: "/review", email: "operator@microsoft.example" },
  { name: "review-detail", path: "/review/PR-0000000002", email: "operator@microsoft.example" },
  { name: "operations", path: "/operations", email: "operator@microsoft.example" },
  { name: "partner-records", path: "/operations/partners", email: "operator@microsoft.example" },
];
