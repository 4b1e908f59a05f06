// One voucher through every role: the customer creates and assigns it, a partner reserves,
// reports, redeems it and requests payment, the operator approves and pays, and the partner and
// the customer both see the result. Creation and reservation happen on 2021-06-15 (creation is
// still open), the rest on 2021-07-15, on a second server sharing the database.
import { expect, test, type Browser } from "@playwright/test";
import { SERVERS } from "./servers";
import { signIn } from "./session";

test.describe.configure({ mode: "serial" });

const early = SERVERS.crossCreate.url;
const later = SERVERS.crossDeliver.url;
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

let voucherId = "";
let reference = "";

async function freshPage(browser: Browser) {
  return (await browser.newContext()).newPage();
}

test("the customer creates a voucher and assigns it to the project manager", async ({ browser }) => {
  const page = await freshPage(browser);
  await signIn(page, early, "benefits@northwind.example");
  const form = page.getByRole("region", { name: "Create a voucher" });
  await form.getByLabel("Pool of days (licensing enrollment)").selectOption("67001234");
  await form.getByLabel("Offering").selectOption("S-EDPS");
  await form.getByLabel("Service level (days)").selectOption({ label: "3 days" });
  await form.getByLabel("Assign to project manager").selectOption("pm@northwind.example");
  await form.getByRole("button", { name: "Create and assign voucher" }).click();
  const created = page.getByRole("status").filter({ hasText: "was created and assigned to pm@northwind.example" });
  await expect(created).toBeVisible();
  voucherId = (await created.getByTestId("created-voucher-id").textContent()) ?? "";
  expect(voucherId).toMatch(/^\d{10,16}$/);
});

test("the partner reserves it with the number and the project manager's email", async ({ browser }) => {
  const page = await freshPage(browser);
  await signIn(page, early, "admin@contoso.example");
  await page.goto(early + "/vouchers/reserve");
  await page.getByLabel("Voucher number").fill(voucherId);
  await page.getByLabel("Customer contact's email").fill("pm@northwind.example");
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByRole("region", { name: "The voucher" })).toContainText("Assigned");
  await page.getByLabel("Engagement").selectOption({ index: 1 });
  await page.getByLabel("MPN location").selectOption("1000001");
  await page.getByLabel("Delivery country").selectOption("KR");
  await page.getByLabel("Delivering consultant").selectOption({ index: 1 });
  await page.getByLabel("Starts on").fill("2021-06-21");
  await page.getByLabel("Ends on").fill("2021-06-23");
  await page.getByRole("button", { name: "Reserve the voucher" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Voucher ${voucherId}` })).toBeVisible();
});

test("after delivery the partner reports, redeems and requests payment", async ({ browser }) => {
  const page = await freshPage(browser);
  await signIn(page, later, "admin@contoso.example");
  await page.goto(later + `/vouchers/${voucherId}`);
  const report = page.getByRole("form", { name: "Completion report" });
  await report.getByLabel("Customer deliverable").setInputFiles({ name: "plan.pdf", mimeType: "application/pdf", buffer: PDF });
  await expect(report.getByText("Uploaded: plan.pdf")).toBeVisible();
  await report.getByRole("button", { name: "File the completion report" }).click();
  await expect(page.getByText("The completion report is filed.")).toBeVisible();
  await page.getByRole("button", { name: "Redeem the voucher" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Redeem" }).click();
  await expect(page.getByText("Redeemed. Request payment within 60 days.")).toBeVisible();

  await page.goto(later + "/payments");
  await page.getByLabel("Program").selectOption("SEDPS");
  await page.getByRole("checkbox", { name: `Select voucher ${voucherId}` }).check();
  await page.getByRole("button", { name: "Save as draft" }).click();
  await expect(page.getByText("The draft is saved.")).toBeVisible();
  await page.getByRole("button", { name: "Submit the request" }).click();
  const submitted = page.getByText(/Submitted\. Reference number: PSR-2021-\d{6}/);
  await expect(submitted).toBeVisible();
  reference = ((await submitted.textContent()) ?? "").match(/PSR-2021-\d{6}/)?.[0] ?? "";
  expect(reference).not.toBe("");
});

test("the operator approves and pays the request", async ({ browser }) => {
  const page = await freshPage(browser);
  await signIn(page, later, "operator@microsoft.example");
  await page.goto(later + "/review");
  await page.getByRole("link", { name: reference }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Payment request ${reference}` })).toBeVisible();
  const decisions = page.getByRole("region", { name: "Decision" });
  for (const decision of ["Approve", "Mark paid"]) {
    await decisions.getByRole("button", { name: decision, exact: true }).click();
    await decisions.getByRole("button", { name: `Confirm — ${decision}` }).click();
  }
  await expect(page.getByTestId("request-status")).toHaveText("Paid");
});

test("the partner and the customer both see the voucher paid", async ({ browser }) => {
  const partner = await freshPage(browser);
  await signIn(partner, later, "admin@contoso.example");
  await partner.goto(later + "/payments");
  await expect(partner.getByRole("table", { name: "Payment requests" }).getByRole("row").filter({ hasText: reference })).toContainText("Paid");
  await partner.goto(later + `/vouchers/${voucherId}`);
  await expect(partner.getByRole("main")).toContainText("Paid");

  for (const email of ["benefits@northwind.example", "pm@northwind.example"]) {
    const customer = await freshPage(browser);
    await signIn(customer, later, email);
    await customer.goto(later + "/vouchers");
    const row = customer.getByRole("row").filter({ hasText: voucherId });
    await expect(row).toContainText("Paid");
    await expect(row).toContainText("Contoso Consulting");
  }
  const manager = await freshPage(browser);
  await signIn(manager, later, "pm@northwind.example");
  await manager.goto(later + `/vouchers/${voucherId}`);
  await expect(manager.getByRole("link", { name: "Download" })).toBeVisible();
});
