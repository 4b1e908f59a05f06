// The partner's steps 1–8 by keyboard alone: Tab, Shift+Tab, Enter, Space, the arrow keys and
// typing into the focused field; no mouse, no click, no fill. Every stop on the way shows a
// focus ring. Confirmation dialogs keep focus inside while open (Tab and Shift+Tab wrap) and
// give it back to the button that opened them. Reserved on 2021-07-15, delivered, redeemed and
// requested for payment on 2021-08-10 (two servers on one database of their own).
import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO_PASSWORD, SERVERS } from "./servers";
import { waitForStartPage } from "./session";

test.describe.configure({ mode: "serial" });

const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/** Whether `target` has the focus. */
function focused(target: Locator) {
  return target.evaluate((element) => element === document.activeElement).catch(() => false);
}

/** Fails unless the focused element shows a focus ring (an outline at least 2 px wide). */
async function expectVisibleFocus(page: Page, { wrapping = false } = {}) {
  const ring = await page.evaluate((wrapping) => {
    const active = document.activeElement as HTMLElement | null;
    // Past the last stop, Tab leaves the page for the browser's own controls, then comes back.
    if (!active || active === document.body) return { ok: wrapping, what: "nothing focused" };
    // A date field's last stop is its calendar button, inside the browser's own shadow tree:
    // the field is no longer :focus and the browser draws that button's ring itself.
    if (active instanceof HTMLInputElement && active.type === "date" && !active.matches(":focus")) {
      return { ok: true, what: "calendar button" };
    }
    const style = getComputedStyle(active);
    const what = `${active.tagName.toLowerCase()}${active.id ? "#" + active.id : ""} "${(active.textContent ?? "").trim().slice(0, 40)}"`;
    return { ok: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2, what };
  }, wrapping);
  expect(ring.ok, `no visible focus ring on ${ring.what}`).toBe(true);
}

/**
 * Moves the focus to `target` with Tab (or, if it is behind, Shift+Tab), as a keyboard user
 * does, checking the focus ring at every stop.
 */
async function tabTo(page: Page, target: Locator, limit = 120) {
  await expect(target).toBeVisible();
  for (const key of ["Tab", "Shift+Tab"]) {
    for (let presses = 0; presses < limit; presses++) {
      if (await focused(target)) return;
      await page.keyboard.press(key);
      await expectVisibleFocus(page, { wrapping: true });
    }
  }
  throw new Error(`could not reach ${target} by keyboard`);
}

/** Chooses the option whose value is `value` in the focused select with the arrow keys. */
async function arrowToOption(page: Page, select: Locator, value: string) {
  await tabTo(page, select);
  const values = await select.locator("option").evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  const target = values.indexOf(value);
  expect(target, `option ${value} in ${values}`).toBeGreaterThan(-1);
  for (let presses = 0; presses < values.length && (await select.inputValue()) !== value; presses++) {
    const current = values.indexOf(await select.inputValue());
    await page.keyboard.press(current < target ? "ArrowDown" : "ArrowUp");
  }
  await expect(select).toHaveValue(value);
}

async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.type(text);
}

async function signIn(page: Page, base: string, email: string) {
  await page.goto(base + "/sign-in");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // The first stop is the skip link; it takes the reader to the page's content.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  expect(await focused(skip)).toBe(true);
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
  await typeInto(page, page.getByLabel("Work email"), email);
  await typeInto(page, page.getByLabel("Password"), DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await waitForStartPage(page);
}

async function follow(page: Page, link: Locator) {
  await tabTo(page, link);
  await page.keyboard.press("Enter");
}

test("a partner does steps 1 to 8 with the keyboard alone", async ({ page }) => {
  test.setTimeout(180_000);
  const nav = page.getByRole("navigation", { name: "Main navigation" });

  // Steps 1–3: signed in, eligible, enrolled.
  await signIn(page, SERVERS.keyboardReserve.url, "admin@contoso.example");
  await expect(page.getByRole("heading", { level: 1, name: "Deadline dashboard" })).toBeVisible();
  await follow(page, nav.getByRole("link", { name: "Eligibility" }));
  await expect(page.getByRole("heading", { level: 1, name: "Eligibility" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Company requirements" }).getByText("Met:").first()).toBeVisible();
  await follow(page, nav.getByRole("link", { name: "Enrollment" }));
  await expect(page.getByText(/Agreement version 1 signed/)).toBeVisible();

  // Steps 4–5: validate the customer's voucher, then reserve it.
  await follow(page, nav.getByRole("link", { name: "Vouchers" }));
  await follow(page, page.getByRole("link", { name: "Validate and reserve a voucher" }));
  await expect(page.getByRole("heading", { level: 1, name: "Validate and reserve a voucher" })).toBeVisible();
  await typeInto(page, page.getByLabel("Voucher number"), "210628000101");
  await typeInto(page, page.getByLabel("Customer contact's email"), "pm@northwind.example");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("region", { name: "The voucher" })).toContainText("Northwind Traders");
  const engagement = page.getByLabel("Engagement");
  await tabTo(page, engagement);
  await page.keyboard.press("ArrowDown");
  await expect(engagement).not.toHaveValue("");
  await arrowToOption(page, page.getByLabel("MPN location"), "1000001");
  await arrowToOption(page, page.getByLabel("Delivery country"), "KR");
  const consultant = page.getByLabel("Delivering consultant");
  await tabTo(page, consultant);
  await page.keyboard.press("ArrowDown");
  await expect(consultant).not.toHaveValue("");
  // Date fields take the digits of each part in the browser's order (en-US: month, day, year).
  await typeInto(page, page.getByLabel("Starts on"), "07202021");
  await typeInto(page, page.getByLabel("Ends on"), "07222021");
  await expect(page.getByLabel("Starts on")).toHaveValue("2021-07-20");
  await expect(page.getByLabel("Ends on")).toHaveValue("2021-07-22");
  await tabTo(page, page.getByRole("button", { name: "Reserve the voucher" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Voucher 210628000101" })).toBeVisible();
  await expect(page.getByText("Reserved. The customer contact has been notified.")).toBeVisible();

  // Step 6, three weeks later: the completion report with the deliverable.
  await signIn(page, SERVERS.keyboardDeliver.url, "admin@contoso.example");
  await follow(page, nav.getByRole("link", { name: "Vouchers" }));
  await follow(page, page.getByRole("link", { name: "210628000101" }));
  const report = page.getByRole("form", { name: "Completion report" });
  await expect(report).toBeVisible();
  await tabTo(page, report.getByLabel("Customer deliverable"));
  // Space opens the system's file chooser, where the reader picks the file.
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Space");
  await (await chooser).setFiles({ name: "deliverable.pdf", mimeType: "application/pdf", buffer: PDF });
  await expect(report.getByText("Uploaded: deliverable.pdf")).toBeVisible();
  await tabTo(page, report.getByRole("button", { name: "File the completion report" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("The completion report is filed.")).toBeVisible();

  // Step 7: redeem, through the confirmation dialog.
  const redeem = page.getByRole("button", { name: "Redeem the voucher" });
  await tabTo(page, redeem);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toBeVisible();
  await expectFocusTrapped(page, dialog);
  // Escape backs out and gives the focus back to the button that opened the dialog.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(redeem).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await tabTo(page, dialog.getByRole("button", { name: "Redeem", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("Redeemed. Request payment within 60 days.")).toBeVisible();
  // The button is gone with the dialog: the focus is on the page, not lost.
  await expect(page.locator("main")).toBeFocused();

  // Step 8: a payment request with this voucher, saved as a draft, then submitted.
  await follow(page, page.getByRole("link", { name: "Request payment" }));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await arrowToOption(page, page.getByLabel("Program"), "SEDPS");
  await tabTo(page, page.getByRole("checkbox", { name: "Select voucher 210628000101" }));
  await page.keyboard.press("Space");
  await expect(page.getByRole("checkbox", { name: "Select voucher 210628000101" })).toBeChecked();
  await expect(page.getByText(/Vouchers chosen: 1 · total/)).toBeVisible();
  await tabTo(page, page.getByRole("button", { name: "Save as draft" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("The draft is saved.")).toBeVisible();
  await tabTo(page, page.getByRole("button", { name: "Submit the request" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText(/Submitted\. Reference number: PSR-2021-\d{6}/)).toBeVisible();
});

/** Tab and Shift+Tab go round the dialog's controls and never leave it. */
async function expectFocusTrapped(page: Page, dialog: Locator) {
  const inDialog = () => dialog.evaluate((element) => element.contains(document.activeElement));
  expect(await inDialog(), "the dialog takes the focus when it opens").toBe(true);
  const controls = await dialog.locator("button:visible, textarea:visible").count();
  for (const key of ["Tab", "Shift+Tab"]) {
    for (let presses = 0; presses < controls * 2 + 1; presses++) {
      await page.keyboard.press(key);
      expect(await inDialog(), `${key} ${presses + 1} times stays in the dialog`).toBe(true);
      await expectVisibleFocus(page);
    }
  }
}

// Each dialog in its own test: many single key presses, each checked, take a while.
for (const [what, email, path, open] of [
  ["a voucher's cancellation", "admin@contoso.example", "/vouchers/210510000103", "Cancel the reservation"],
  ["an operator's decision", "operator@microsoft.example", "/review/PR-0000000002", "Reject"],
] as const) {
  test(`the dialog of ${what} keeps the focus and gives it back to its opener`, async ({ page }) => {
    test.setTimeout(90_000);
    const base = SERVERS.midProgram.url;
    await signIn(page, base, email);
    await page.goto(base + path);
    const opener = page.getByRole("button", { name: open, exact: true });
    await tabTo(page, opener);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toBeVisible();
    await expectFocusTrapped(page, dialog);
    // The back-out button closes it too, and focus returns the same way.
    await tabTo(page, dialog.getByRole("button").last());
    await page.keyboard.press("Enter");
    await expect(dialog).toBeHidden();
    await expect(opener).toBeFocused();
  });
}

test("the bulk redemption dialog keeps the focus and gives it back to its opener", async ({ page }) => {
  test.setTimeout(90_000);
  const base = SERVERS.midProgram.url;
  // A voucher chosen with Space, the dialog left with Escape.
  await signIn(page, base, "admin@contoso.example");
  await page.goto(base + "/vouchers");
  await tabTo(page, page.getByRole("checkbox", { name: "Select voucher 210401000104" }));
  await page.keyboard.press("Space");
  const bulk = page.getByRole("region", { name: "Redeem selected vouchers" }).getByRole("button");
  await tabTo(page, bulk);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog");
  await expectFocusTrapped(page, dialog);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(bulk).toBeFocused();
});
