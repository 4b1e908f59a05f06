// The partner's whole path through steps 1–8 on the demo data, and its error paths, by roles and
// labels. Reservation happens on 2021-07-15; delivery, the report, redemption and the payment
// request on 2021-08-10 (a second server on the same database).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { SERVERS } from "./servers";
import { signIn } from "./session";

test.describe.configure({ mode: "serial" });

// A tiny valid PDF: the customer deliverable.
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

async function validate(page: Page, voucher: string, email: string) {
  await page.getByLabel("Voucher number").fill(voucher);
  await page.getByLabel("Customer contact's email").fill(email);
  await page.getByRole("button", { name: "Validate" }).click();
}

async function chooseSchedule(page: Page, location: string, country: string) {
  await page.getByLabel("Engagement").selectOption({ index: 1 });
  await page.getByLabel("MPN location").selectOption(location);
  await page.getByLabel("Delivery country").selectOption(country);
  await page.getByLabel("Delivering consultant").selectOption({ index: 1 });
  await page.getByLabel("Starts on").fill("2021-07-20");
  await page.getByLabel("Ends on").fill("2021-07-22");
}

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

test("a partner goes from the eligibility checklist to a submitted payment request", async ({ browser }) => {
  const page = await newPage(browser);
  const reserveSite = SERVERS.journeyReserve.url;
  await signIn(page, reserveSite, "admin@contoso.example");
  await expect(page.getByRole("heading", { level: 1, name: "Deadline dashboard" })).toBeVisible();

  // Steps 1–3: eligible, enrolled, agreement signed.
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  await nav.getByRole("link", { name: "Eligibility" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Eligibility" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Company requirements" }).getByText("Met:").first()).toBeVisible();
  await nav.getByRole("link", { name: "Enrollment" }).click();
  await expect(page.getByText(/Agreement version 1 signed/)).toBeVisible();

  // Steps 4–5: validate and reserve.
  await nav.getByRole("link", { name: "Vouchers" }).click();
  await page.getByRole("link", { name: "Validate and reserve a voucher" }).click();
  await validate(page, "210628000101", "pm@northwind.example");
  const preview = page.getByRole("region", { name: "The voucher" });
  await expect(preview).toContainText("Northwind Traders");
  await expect(preview).toContainText("3 days");
  await chooseSchedule(page, "1000001", "KR");
  await page.getByRole("button", { name: "Reserve the voucher" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Voucher 210628000101" })).toBeVisible();
  await expect(page.getByText("Reserved. The customer contact has been notified.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Program steps 4 to 8" }).getByRole("listitem").nth(2)).toContainText(/Deliver and report\s*current step/);

  // Three weeks later: the report with the deliverable, then redemption.
  const deliverSite = SERVERS.journeyDeliver.url;
  await signIn(page, deliverSite, "admin@contoso.example");
  await page.goto(deliverSite + "/vouchers/210628000101");
  const report = page.getByRole("form", { name: "Completion report" });
  await expect(report).toBeVisible();
  await report.getByLabel("Customer deliverable").setInputFiles({ name: "deliverable.pdf", mimeType: "application/pdf", buffer: PDF });
  await expect(report.getByText("Uploaded: deliverable.pdf")).toBeVisible();
  // A second deliverable joins the first; one chosen by mistake can be taken off before filing.
  const annex = Buffer.concat([PDF, Buffer.from("% annex\n")]);
  await report.getByLabel("Customer deliverable").setInputFiles({ name: "annex.pdf", mimeType: "application/pdf", buffer: annex });
  await expect(report.getByText("Uploaded: annex.pdf")).toBeVisible();
  const mistake = Buffer.concat([PDF, Buffer.from("% draft\n")]);
  await report.getByLabel("Customer deliverable").setInputFiles({ name: "draft.pdf", mimeType: "application/pdf", buffer: mistake });
  await report.getByRole("listitem").filter({ hasText: "Uploaded: draft.pdf" }).getByRole("button", { name: "Remove" }).click();
  await expect(report.getByText("Uploaded: draft.pdf")).toHaveCount(0);
  await report.getByRole("button", { name: "File the completion report" }).click();
  await expect(page.getByText("The completion report is filed.")).toBeVisible();
  // Both files are on the report.
  const details = page.getByRole("region", { name: "Details" });
  await expect(details.getByRole("link", { name: "Download 1" })).toBeVisible();
  await expect(details.getByRole("link", { name: "Download 2" })).toBeVisible();
  await expect(details.getByRole("link", { name: "Download 3" })).toHaveCount(0);
  await page.getByRole("button", { name: "Redeem the voucher" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Redeem" }).click();
  await expect(page.getByText("Redeemed. Request payment within 60 days.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Deadlines" })).toContainText("Payment request due (60 days)");

  // Step 8: a payment request with this voucher.
  await page.getByRole("link", { name: "Request payment" }).click();
  await page.getByLabel("Program").selectOption("SEDPS");
  await page.getByRole("checkbox", { name: "Select voucher 210628000101" }).check();
  await expect(page.getByText(/Vouchers chosen: 1 · total/)).toBeVisible();
  await page.getByRole("button", { name: "Save as draft" }).click();
  await expect(page.getByText("The draft is saved.")).toBeVisible();
  await page.getByRole("button", { name: "Submit the request" }).click();
  await expect(page.getByText(/Submitted\. Reference number: PSR-2021-\d{6}/)).toBeVisible();
  await expect(page.getByRole("table", { name: "Payment requests" })).toContainText("Submitted");
});

test("a wrong customer email, an expired voucher and a location in another country are refused in place", async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, SERVERS.journeyReserve.url, "admin@contoso.example");
  await page.goto(SERVERS.journeyReserve.url + "/vouchers/reserve");

  await validate(page, "210620000102", "someone@northwind.example");
  await expect(page.getByRole("alert").filter({ hasText: "The email address does not match the voucher" })).toBeVisible();
  await expect(page.getByLabel("Voucher number")).toHaveValue("210620000102");

  await validate(page, "210105000107", "pm@woodgrove.example");
  await expect(page.getByRole("region", { name: "The voucher" })).toContainText("Expired");
  await expect(page.getByRole("alert").filter({ hasText: "The voucher has expired" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Reserve the voucher" })).toBeHidden();

  await validate(page, "210620000102", "pm@northwind.example");
  await expect(page.getByRole("region", { name: "The voucher" })).toContainText("Northwind Traders");
  await chooseSchedule(page, "1000001", "US");
  await page.getByRole("button", { name: "Reserve the voucher" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Location 1000001 is in KR but the engagement is delivered in US" })).toBeVisible();
  // What was typed is still there.
  await expect(page.getByLabel("Starts on")).toHaveValue("2021-07-20");
  await expect(page.getByLabel("Delivery country")).toHaveValue("US");
});

test("a reservation lost to another session says so and shows the voucher as it now is", async ({ browser }) => {
  const first = await newPage(browser);
  const second = await newPage(browser);
  for (const page of [first, second]) {
    await signIn(page, SERVERS.journeyReserve.url, "admin@contoso.example");
    await page.goto(SERVERS.journeyReserve.url + "/vouchers/reserve");
    await validate(page, "210620000102", "pm@northwind.example");
    await expect(page.getByRole("region", { name: "The voucher" })).toContainText("Assigned");
    await chooseSchedule(page, "1000001", "KR");
  }
  await second.getByRole("button", { name: "Reserve the voucher" }).click();
  await expect(second.getByRole("heading", { level: 1, name: "Voucher 210620000102" })).toBeVisible();
  await first.getByRole("button", { name: "Reserve the voucher" }).click();
  await expect(first.getByRole("alert").filter({ hasText: "This voucher is already reserved" }).first()).toBeVisible();
  await expect(first.getByRole("region", { name: "The voucher" })).toContainText("Reserved");
});

test("redeeming without a completion report is refused with the reason", async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, SERVERS.journeyReserve.url, "admin@contoso.example");
  await page.goto(SERVERS.journeyReserve.url + "/vouchers/210510000103");
  await page.getByRole("button", { name: "Redeem the voucher" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Redeem" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Submit the completion report with the deliverable before redeeming the voucher." }),
  ).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Voucher 210510000103" })).toBeVisible();
});

test("a voucher past its 60-day payment window is not offered for payment", async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, SERVERS.journeyReserve.url, "admin@contoso.example");
  await page.goto(SERVERS.journeyReserve.url + "/vouchers/210115000106");
  await expect(page.getByRole("region", { name: "Deadlines" })).toContainText("26 days ago");
  await page.goto(SERVERS.journeyReserve.url + "/payments");
  await page.getByLabel("Program").selectOption("SEDPS");
  await expect(page.getByText("No redeemed voucher of this program is waiting for payment.")).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Select voucher 210115000106" })).toHaveCount(0);
});

test("a partner creates a widget snippet for a voucher, copies it and revokes the token", async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, SERVERS.journeyReserve.url, "admin@contoso.example");
  await page.goto(SERVERS.journeyReserve.url + "/vouchers/210510000103");
  const panel = page.getByRole("region", { name: "Show this on another website" });
  await panel.getByLabel("Websites allowed to show it").fill("ftp://intranet.example");
  await panel.getByRole("button", { name: "Create the snippet" }).click();
  await expect(panel.getByLabel("Websites allowed to show it")).toHaveAttribute("aria-invalid", "true");
  await panel.getByLabel("Websites allowed to show it").fill("https://intranet.example");
  await panel.getByRole("button", { name: "Create the snippet" }).click();
  const snippet = panel.getByLabel("Snippet to paste into the page");
  await expect(snippet).toHaveValue(/<planning-widget kind="voucher" voucher="210510000103" .*token="pwt_/);
  await expect(panel.getByRole("listitem").filter({ hasText: "https://intranet.example" })).toContainText("Active");
  await panel.getByRole("listitem").filter({ hasText: "https://intranet.example" }).getByRole("button", { name: "Revoke" }).click();
  await expect(panel.getByRole("listitem").filter({ hasText: "https://intranet.example" })).toContainText("Revoked");
});
