// The program operator's journeys: the review queue with the shared crate's checklist, approve
// then mark paid, put on hold and resume, reject with a reason the partner then sees; and the
// program dashboard with its charts' numbers as tables.
import { expect, request as playwrightRequest, test, type Page } from "@playwright/test";
import { SERVERS } from "./servers";
import { apiSignIn, signIn } from "./session";

const base = SERVERS.operatorJourney.url;
/** The demo request submitted by Contoso (seed_payments.rs) and its reference number. */
const SUBMITTED_DEMO = { id: "PR-0000000002", reference: "PSR-2021-000002" };
/** A voucher Contoso redeemed whose payment window is open on 2021-07-15 (seed_vouchers.rs). */
const REDEEMED_DDPS = "210301000105";

test.describe.configure({ mode: "serial" });

let fresh = { id: "", reference: "" };

test.beforeAll(async () => {
  // The partner drafts and submits a request for the redeemed DDPS voucher, through the API.
  const partner = await playwrightRequest.newContext();
  const csrf = await apiSignIn(partner, base, "admin@contoso.example");
  const drafted = await partner.post(base + "/api/v1/payment-requests", {
    headers: csrf,
    data: { program: "DDPS", voucher_ids: [REDEEMED_DDPS] },
  });
  expect(drafted.status()).toBe(201);
  const draft = await drafted.json();
  const submitted = await partner.post(base + `/api/v1/payment-requests/${draft.request.id}/submission`, {
    headers: { ...csrf, "idempotency-key": `e2e-${draft.request.id}` },
    data: { version: draft.version },
  });
  expect(submitted.status()).toBe(200);
  const view = await submitted.json();
  fresh = { id: view.request.id, reference: view.reference_number };
  await partner.dispose();
});

async function openRequest(page: Page, reference: string) {
  await page.goto(base + "/review");
  await page.getByRole("link", { name: reference }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Payment request ${reference}` })).toBeVisible();
}

async function decide(page: Page, decision: string, reason?: string) {
  const decisions = page.getByRole("region", { name: "Decision" });
  await decisions.getByRole("button", { name: decision, exact: true }).click();
  if (reason !== undefined) await decisions.getByLabel("Reason (the partner sees it)").fill(reason);
  await decisions.getByRole("button", { name: `Confirm — ${decision}` }).click();
}

test("the queue lists submitted requests with their checklist, and the operator approves then marks one paid", async ({ page }) => {
  await signIn(page, base, "operator@microsoft.example");
  await expect(page).toHaveURL(/\/review$/);
  const queue = page.getByRole("table", { name: "Review queue" });
  const row = queue.getByRole("row").filter({ hasText: fresh.reference });
  await expect(row).toContainText("Contoso Consulting");
  await expect(row).toContainText("Submitted");
  await expect(row).toContainText("Every check met");
  await expect(queue.getByRole("row").filter({ hasText: SUBMITTED_DEMO.reference })).toBeVisible();

  await openRequest(page, fresh.reference);
  const voucher = page.getByRole("region", { name: `Voucher ${REDEEMED_DDPS}` });
  // The §11.4 checklist in words: each item says met or not, and why.
  await expect(voucher.getByRole("listitem").filter({ hasText: "Location ID in the delivery country" })).toContainText("Met");
  await expect(voucher.getByRole("listitem").filter({ hasText: "Requested within 60 days of redemption" })).toContainText("Verified.");
  await expect(voucher.getByRole("link", { name: "Download the deliverable" })).toBeVisible();

  // Confirmation first: cancelling changes nothing.
  const decisions = page.getByRole("region", { name: "Decision" });
  await decisions.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(decisions).toContainText("Approve this payment request?");
  await decisions.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("request-status")).toHaveText("Submitted");

  await decide(page, "Approve");
  await expect(page.getByTestId("request-status")).toHaveText("Approved");
  await decide(page, "Mark paid");
  await expect(page.getByTestId("request-status")).toHaveText("Paid");
  await expect(page.getByRole("region", { name: "Decision" })).toContainText("No decision is open for this request.");

  await page.getByRole("link", { name: "← Back to the review queue" }).click();
  await expect(page.getByRole("table", { name: "Review queue" }).getByRole("row").filter({ hasText: fresh.reference })).toHaveCount(0);
});

test("the operator puts a request on hold, resumes it, and rejects it with a reason the partner sees", async ({ page }) => {
  await signIn(page, base, "operator@microsoft.example");
  await openRequest(page, SUBMITTED_DEMO.reference);

  await decide(page, "Put on hold", "Waiting for the signed deliverable.");
  await expect(page.getByTestId("request-status")).toHaveText("On hold");
  await expect(page.getByText("On hold because: Waiting for the signed deliverable.")).toBeVisible();
  await decide(page, "Resume review");
  await expect(page.getByTestId("request-status")).toHaveText("Submitted");

  // A rejection needs its reason.
  const decisions = page.getByRole("region", { name: "Decision" });
  await decisions.getByRole("button", { name: "Reject", exact: true }).click();
  await decisions.getByRole("button", { name: "Confirm — Reject" }).click();
  await expect(decisions.getByText("Enter the reason.")).toBeVisible();
  await expect(decisions.getByLabel("Reason (the partner sees it)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("request-status")).toHaveText("Submitted");
  await decisions.getByLabel("Reason (the partner sees it)").fill("The deliverable is not the customer's signed copy.");
  await decisions.getByRole("button", { name: "Confirm — Reject" }).click();
  await expect(page.getByTestId("request-status")).toHaveText("Rejected");
  await expect(page.getByText("Rejected because: The deliverable is not the customer's signed copy.")).toBeVisible();

  // The partner sees the reason on the request and in the inbox.
  const partner = await playwrightRequest.newContext();
  await apiSignIn(partner, base, "admin@contoso.example");
  const seen = await (await partner.get(base + `/api/v1/payment-requests/${SUBMITTED_DEMO.id}`)).json();
  expect(seen.status).toBe("rejected");
  expect(seen.reject_reason).toBe("The deliverable is not the customer's signed copy.");
  const inbox = await (await partner.get(base + "/api/v1/inbox")).json();
  expect(JSON.stringify(inbox)).toContain("The deliverable is not the customer's signed copy.");
  await partner.dispose();
});

test("the program dashboard shows vouchers, days and payments with tables for assistive technology", async ({ page }) => {
  await signIn(page, base, "operator@microsoft.example");
  await page.getByRole("link", { name: "Program dashboard" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Program dashboard" })).toBeVisible();
  const payments = page.getByRole("table", { name: "Payment requests by status" });
  // After the journeys above: the demo paid request and ours paid, the demo request rejected.
  await expect(payments.getByRole("row", { name: /^Paid/ })).toContainText("2");
  await expect(payments.getByRole("row", { name: /^Rejected/ })).toContainText("1");
  await expect(payments.getByRole("row", { name: /^Submitted/ })).toContainText("0");
  await expect(page.getByRole("table", { name: "Vouchers by state" }).getByRole("row")).toHaveCount(7);
  await expect(page.getByRole("table", { name: "Days reserved and redeemed" })).toContainText("Redeemed (delivered)");
  await expect(page.getByRole("heading", { name: "Daily rates (demo)" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Daily rates (demo)" })).toContainText("₩1,300,000");
  await expect(page.getByRole("heading", { name: "Next deadline" })).toBeVisible();
});

test("other roles do not get the operator's pages", async ({ page }) => {
  await signIn(page, base, "benefits@northwind.example");
  await page.goto(base + "/review");
  await expect(page.getByRole("heading", { level: 1, name: "This page is not for your role" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("Your account's role cannot use this page.");
  await expect(page.getByRole("link", { name: "Review queue" })).toHaveCount(0);
});
