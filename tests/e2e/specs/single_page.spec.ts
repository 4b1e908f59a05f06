// One app for every page: moving between any two pages loads no document and no second wasm
// module, the back and forward buttons and deep links work, and focus moves to the new page's
// content after each move, as it would after a document load.
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./session";
import { SERVERS } from "./servers";

const base = SERVERS.midProgram.url;

/** Marks the current document, so a document load (which forgets the mark) is detected. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { portalMark: string }).portalMark = "still the first document"));
}

async function sameDocument(page: Page) {
  return page.evaluate(() => (window as unknown as { portalMark?: string }).portalMark === "still the first document");
}

test("a partner's tour of the main navigation stays in one document with one wasm module", async ({ page }) => {
  const wasm: string[] = [];
  const documents: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith(".wasm")) wasm.push(request.url());
    if (request.resourceType() === "document") documents.push(request.url());
  });
  await signIn(page, base, "admin@contoso.example");
  await markDocument(page);
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  const tour: [string, string, RegExp][] = [
    ["Program timeline", "Program timeline", /\/$/],
    ["Eligibility", "Eligibility", /\/partner\/eligibility$/],
    ["Enrollment", "Enrollment", /\/partner\/enrollment$/],
    ["Business profile", "Business profile", /\/partner\/profile$/],
    ["Vouchers", "Vouchers", /\/vouchers$/],
    ["Payments", "Payments", /\/payments$/],
    ["Inbox", "Inbox", /\/inbox$/],
    ["Dashboard", "Deadline dashboard", /\/partner$/],
  ];
  for (const [link, heading, url] of tour) {
    await nav.getByRole("link", { name: link, exact: true }).click();
    await expect(page).toHaveURL(url);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expect(nav.getByRole("link", { name: link, exact: true })).toHaveAttribute("aria-current", "page");
    // The reader is taken to the new page's content.
    await expect(page.locator("main")).toBeFocused();
  }
  expect(await sameDocument(page), "no page of the tour loaded a new document").toBe(true);
  // The sign-in page was the one document; its one wasm module served every page.
  expect(documents).toHaveLength(1);
  expect(new Set(wasm).size).toBe(1);

  // Back and forward move between pages of the same document.
  await page.goBack();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inbox");
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payments");
  await page.goForward();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inbox");
  expect(await sameDocument(page)).toBe(true);
});

test("a link inside a page and a page with a path parameter render without a document load", async ({ page }) => {
  await signIn(page, base, "admin@contoso.example");
  await page.goto(base + "/vouchers");
  await markDocument(page);
  const first = page.getByRole("table").getByRole("link").first();
  const number = (await first.innerText()).trim();
  await first.click();
  await expect(page).toHaveURL(new RegExp(`/vouchers/${number}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Voucher ${number}`);
  await page.getByRole("link", { name: "← All vouchers" }).click();
  await expect(page).toHaveURL(/\/vouchers$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vouchers");
  expect(await sameDocument(page)).toBe(true);
});

test("a deep link opens its page, and an unknown path says so inside the app", async ({ page }) => {
  await signIn(page, base, "admin@contoso.example");
  await page.goto(base + "/partner/enrollment");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enrollment");
  await markDocument(page);
  await page.evaluate(() => {
    history.pushState(null, "", "/no/such/page");
    dispatchEvent(new PopStateEvent("popstate"));
  });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await page.getByRole("link", { name: "Go to the program timeline" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Program timeline");
  expect(await sameDocument(page)).toBe(true);
});
