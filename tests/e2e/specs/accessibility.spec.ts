// axe-core's WCAG 2.2 AA rules over every route and state of the portal, in English and Korean:
// each page as its users see it, its error and empty states, its confirmation dialogs open, and
// the embeddable widget on a third-party page. Nothing may be reported.
import { expect, test, type Page } from "@playwright/test";
import * as http from "http";
import type { AddressInfo } from "net";
import { expectNoViolations, LANGS, pageIn, settle, type Lang } from "./a11y";
import { DEMO_PASSWORD, SERVERS } from "./servers";

const base = SERVERS.midProgram.url;
const creationOpen = SERVERS.customerJourney.url;

type Case = {
  name: string;
  path: string;
  email?: string;
  site?: string;
  /** Brings the page into the state to check, after it has settled. */
  act?: (page: Page) => Promise<void>;
};

/** Presses Enter in the field with `id` after typing `text` into it. */
async function typeAndEnter(page: Page, id: string, text: string) {
  await page.locator(`#${id}`).focus();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

const PARTNER = "admin@contoso.example";
const GA = "ga@contoso.example";
const OPERATOR = "operator@microsoft.example";

const CASES: Case[] = [
  { name: "program timeline (signed out)", path: "/" },
  { name: "program timeline (after the last redemption day)", path: "/", site: SERVERS.afterRedemption.url },
  { name: "sign-in", path: "/sign-in" },
  {
    name: "sign-in with field errors",
    path: "/sign-in",
    act: async (page) => {
      await page.locator("main form button[type=submit]:visible").press("Enter");
      await expect(page.locator("#email")).toHaveAttribute("aria-invalid", "true");
    },
  },
  {
    name: "sign-in refused by the server",
    path: "/sign-in",
    act: async (page) => {
      await page.locator("#email").fill("admin@contoso.example");
      await page.locator("#password").fill("not-the-password");
      await page.locator("main form button[type=submit]:visible").press("Enter");
      await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toBeVisible();
    },
  },
  { name: "page not found", path: "/no/such/page" },
  { name: "a page of another role", path: "/partner", email: "pm@northwind.example" },
  { name: "inbox", path: "/inbox", email: PARTNER },
  { name: "inbox (empty)", path: "/inbox", email: "pm@woodgrove.example" },
  { name: "partner dashboard", path: "/partner", email: PARTNER },
  { name: "eligibility (all met)", path: "/partner/eligibility", email: GA },
  { name: "eligibility (requirements not met)", path: "/partner/eligibility", email: "ga@fabrikam.example" },
  { name: "enrollment", path: "/partner/enrollment", email: GA },
  { name: "enrollment (may not enroll)", path: "/partner/enrollment", email: "ga@fabrikam.example" },
  { name: "business profile", path: "/partner/profile", email: GA },
  { name: "voucher list", path: "/vouchers", email: PARTNER },
  {
    name: "voucher list (no voucher matches)",
    path: "/vouchers",
    email: PARTNER,
    act: async (page) => {
      await typeAndEnter(page, "filter-search", "no such customer");
      await expect(page.locator("p.empty")).toBeVisible();
    },
  },
  {
    name: "voucher list (bulk redemption confirmation)",
    path: "/vouchers",
    email: PARTNER,
    act: async (page) => {
      await page.locator("tr", { hasText: "210401000104" }).locator("input[type=checkbox]").check();
      await page.locator(".bulk-bar button").press("Enter");
      await expect(page.getByRole("alertdialog")).toBeVisible();
    },
  },
  { name: "voucher list (customer project manager)", path: "/vouchers", email: "pm@northwind.example" },
  { name: "validate and reserve", path: "/vouchers/reserve", email: PARTNER },
  {
    name: "validate and reserve with field errors",
    path: "/vouchers/reserve",
    email: PARTNER,
    act: async (page) => {
      await typeAndEnter(page, "voucher-id", "12");
      await expect(page.locator("#voucher-id")).toHaveAttribute("aria-invalid", "true");
    },
  },
  {
    name: "validate and reserve, refused by the server",
    path: "/vouchers/reserve",
    email: PARTNER,
    act: async (page) => {
      await page.locator("#voucher-id").fill("210620000102");
      await typeAndEnter(page, "voucher-admin-email", "someone@northwind.example");
      await expect(page.getByRole("alert").filter({ hasText: /\S/ }).first()).toBeVisible();
    },
  },
  {
    name: "validate and reserve, the voucher previewed",
    path: "/vouchers/reserve",
    email: PARTNER,
    act: async (page) => {
      await page.locator("#voucher-id").fill("210620000102");
      await typeAndEnter(page, "voucher-admin-email", "pm@northwind.example");
      await expect(page.locator("#engagement")).toBeVisible();
    },
  },
  { name: "voucher reserved", path: "/vouchers/210510000103", email: PARTNER },
  {
    name: "voucher reserved (redeem confirmation)",
    path: "/vouchers/210510000103",
    email: PARTNER,
    act: async (page) => {
      await page.locator("section[aria-labelledby=redeem-title] > button").press("Enter");
      await expect(page.getByRole("alertdialog")).toBeVisible();
    },
  },
  {
    name: "voucher reserved (cancel confirmation)",
    path: "/vouchers/210510000103",
    email: PARTNER,
    act: async (page) => {
      await page.locator("section[aria-labelledby=cancel-title] > button").press("Enter");
      await expect(page.getByRole("alertdialog")).toBeVisible();
    },
  },
  { name: "voucher reported", path: "/vouchers/210401000104", email: PARTNER },
  { name: "voucher redeemed", path: "/vouchers/210310000108", email: PARTNER },
  { name: "voucher paid", path: "/vouchers/210305000109", email: PARTNER },
  { name: "voucher expired", path: "/vouchers/210105000107", email: "pm@woodgrove.example" },
  { name: "voucher not found", path: "/vouchers/999999999999", email: PARTNER },
  { name: "payments", path: "/payments", email: GA },
  {
    name: "payments (a program chosen)",
    path: "/payments",
    email: GA,
    act: async (page) => {
      await page.locator("#request-program").selectOption({ index: 1 });
    },
  },
  { name: "benefit (administrator, creation closed)", path: "/customer", email: "benefits@northwind.example" },
  { name: "benefit (administrator, creation open)", path: "/customer", email: "benefits@northwind.example", site: creationOpen },
  {
    name: "benefit (voucher creation with field errors)",
    path: "/customer",
    email: "benefits@northwind.example",
    site: creationOpen,
    act: async (page) => {
      await page.locator("form.co-form button[type=submit]").press("Enter");
      await expect(page.locator("[aria-invalid=true]").first()).toBeVisible();
    },
  },
  { name: "benefit (project manager)", path: "/customer", email: "pm@northwind.example" },
  { name: "partner directory", path: "/directory" },
  {
    name: "partner directory (no partner matches)",
    path: "/directory",
    act: async (page) => {
      await typeAndEnter(page, "directory-words", "zzzz-no-such-partner");
      await expect(page).toHaveURL(/zzzz/);
    },
  },
  {
    name: "partner directory (invalid country)",
    path: "/directory",
    act: async (page) => {
      await typeAndEnter(page, "directory-country", "Korea");
      await expect(page.locator("#directory-country")).toHaveAttribute("aria-invalid", "true");
    },
  },
  { name: "partner profile", path: "/directory/1" },
  { name: "partner profile not found", path: "/directory/9999" },
  { name: "review queue", path: "/review", email: OPERATOR },
  { name: "review of a request", path: "/review/PR-0000000002", email: OPERATOR },
  {
    name: "review of a request (decision confirmation)",
    path: "/review/PR-0000000002",
    email: OPERATOR,
    act: async (page) => {
      await page.locator(".co-decisions .co-actions button.button--danger").first().press("Enter");
      await expect(page.locator("#decision-reason")).toBeVisible();
      await page.locator("#decision-reason").focus();
      await page.keyboard.press("Enter");
      await page.locator(".co-confirm button[type=submit]").press("Enter");
      await expect(page.locator("#decision-reason")).toHaveAttribute("aria-invalid", "true");
    },
  },
  { name: "review of an unknown request", path: "/review/PR-0000009999", email: OPERATOR },
  { name: "program dashboard", path: "/operations", email: OPERATOR },
  { name: "partner records", path: "/operations/partners", email: OPERATOR },
  {
    name: "partner records (a partner shown, a field error)",
    path: "/operations/partners",
    email: OPERATOR,
    act: async (page) => {
      await page.getByRole("button", { name: "Fabrikam Advisory" }).click();
      await expect(page.locator("#records-competencies-title")).toBeVisible();
      await page.locator("form[aria-labelledby=competency-title] button[type=submit]").click();
      await expect(page.locator("#competency-expires")).toHaveAttribute("aria-invalid", "true");
    },
  },
];

for (const lang of LANGS) {
  test.describe(`axe, ${lang}`, () => {
    for (const item of CASES) {
      test(`${item.name} has no WCAG 2.2 AA violation`, async ({ browser }) => {
        const site = item.site ?? base;
        const page = await pageIn(browser, site, lang, item.email);
        await page.goto(site + item.path);
        await settle(page);
        if (item.act) {
          await item.act(page);
          await page.waitForLoadState("networkidle");
        }
        await expectNoViolations(page, item.name, lang);
        await page.context().close();
      });
    }
  });
}

// The widget on another site's page, in both languages and with its error message.
let host: http.Server;
let hostOrigin = "";
const hostPages = new Map<string, string>();

test.beforeAll(async () => {
  host = http.createServer((request, response) => {
    const page = hostPages.get(request.url ?? "/");
    response.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    response.end(page ?? "not found");
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => host.close(() => resolve()));
});

/** The snippet of a new embed token for `target`: a voucher, or the signed-in partner's own badge. */
async function embedSnippet(page: Page, email: string, target: { voucher: string } | "own badge") {
  const session = await page.request.post(`${base}/api/v1/session`, { data: { email, password: DEMO_PASSWORD } });
  const { csrf_token, user } = await session.json();
  const response = await page.request.post(`${base}/api/v1/embed-tokens`, {
    headers: { "x-csrf-token": csrf_token },
    data: { target: target === "own badge" ? { partner: user.organization.id } : target, allowed_origins: [hostOrigin], expires_in_days: 7 },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { snippet: string }).snippet;
}

function hostPage(path: string, lang: Lang, body: string) {
  hostPages.set(
    path,
    `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>Partner intranet</title></head>` +
      `<body><main><h1>Partner intranet</h1>${body}</main></body></html>`,
  );
  return hostOrigin + path;
}

for (const lang of LANGS) {
  test(`the widget's voucher card, badge and error message have no WCAG 2.2 AA violation (${lang})`, async ({ page }) => {
    const card = (await embedSnippet(page, "benefits@northwind.example", { voucher: "210510000103" })).replace(
      'lang="en"',
      `lang="${lang}"`,
    );
    const badge = (await embedSnippet(page, GA, "own badge")).replace('lang="en"', `lang="${lang}"`);
    const broken = card.replace(/token="([^"]+)"/, (_, token: string) => `token="${token.slice(0, 20)}"`);
    await page.goto(hostPage(`/widget-${lang}.html`, lang, `${card}\n${badge}\n${broken}`));
    const widgets = page.locator("planning-widget");
    await expect(widgets).toHaveCount(3);
    await expect(page.getByRole("alert")).toHaveCount(1);
    await expect(page.getByRole("region")).toHaveCount(2);
    await page.waitForLoadState("networkidle");
    await expectNoViolations(page, "the widget", lang);
  });
}
