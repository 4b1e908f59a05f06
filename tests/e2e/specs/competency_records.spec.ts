// Competencies and passed exams are the program's records (issue 17 item 5): the operator finds
// a partner, changes a competency and sees the audit line; the partner sees the records read-only,
// "managed by the program", with no control to change them.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { SERVERS } from "./servers";
import { apiSignIn, signIn } from "./session";

// The operator journey's server: its own database. Fabrikam is not part of that journey.
const base = SERVERS.operatorJourney.url;

test.describe.configure({ mode: "serial" });

test("the operator records a competency of a partner and sees it in the audit trail", async ({ page }) => {
  await signIn(page, base, "operator@microsoft.example");
  await page.goto(base + "/operations");
  await page.getByRole("link", { name: "Partner competencies and exams" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Partner competencies and exams" })).toBeVisible();
  const search = page.getByRole("search", { name: "Find a partner" });
  await search.getByLabel("Partner name").fill("fabrik");
  await search.getByRole("button", { name: "Find" }).click();
  await expect(search.getByRole("button", { name: "Contoso Consulting" })).toHaveCount(0);
  await search.getByRole("button", { name: "Fabrikam Advisory" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Fabrikam Advisory" })).toBeVisible();
  const held = page.getByRole("region", { name: "Competencies on record" });
  await expect(held).toContainText("Silver Windows and Devices, valid through February 28, 2022");
  const audit = page.getByRole("region", { name: "Audit trail (newest first)" });
  await expect(audit.getByRole("listitem").first()).toContainText("Demo data");

  // A field error first: nothing is sent without a valid date.
  const form = page.getByRole("form", { name: "Record or change a competency" });
  await form.getByLabel("Competency").selectOption({ label: "Enterprise Mobility Management" });
  await form.getByLabel("Level").selectOption({ label: "Silver" });
  await form.getByRole("button", { name: "Save the competency" }).click();
  await expect(form.getByLabel("Valid through")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Valid through").fill("2022-06-30");
  await form.getByRole("button", { name: "Save the competency" }).click();
  await expect(page.getByRole("status").getByText("Saved.")).toBeVisible();
  await expect(held).toContainText("Silver Enterprise Mobility Management, valid through June 30, 2022");
  await expect(audit.getByRole("listitem").first()).toHaveText(
    "July 15, 2021 · Robin Chen: Recorded the Silver Enterprise Mobility Management competency, valid through June 30, 2022.",
  );

  // Removed again: the trail keeps both lines, newest first.
  await held.getByRole("button", { name: "Remove Silver Enterprise Mobility Management" }).click();
  await expect(audit.getByRole("listitem").first()).toHaveText(
    "July 15, 2021 · Robin Chen: Removed the Silver Enterprise Mobility Management competency, valid through June 30, 2022.",
  );
  await expect(audit.getByRole("listitem").nth(1)).toContainText("Recorded the Silver Enterprise Mobility Management");
  await expect(held).not.toContainText("Enterprise Mobility Management");
});

test("the partner sees its competencies and exams read-only, managed by the program", async ({ page }) => {
  await signIn(page, base, "ga@fabrikam.example");
  await page.goto(base + "/partner/eligibility");
  const records = page.getByRole("region", { name: "Competencies and exams" });
  await expect(records).toContainText("Managed by the program");
  await expect(records).toContainText("Silver Windows and Devices, valid through February 28, 2022");
  await expect(records.getByRole("button")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save the competency" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add the exam" })).toHaveCount(0);
  await expect(page.getByLabel("Valid through")).toHaveCount(0);

  // Nor can the partner's admin write them through the API, old path or new.
  const api = await playwrightRequest.newContext();
  const csrf = await apiSignIn(api, base, "ga@fabrikam.example");
  const old = await api.put(base + "/api/v1/partner/competencies/messaging", {
    headers: csrf,
    data: { level: "gold", expires_on: "2022-12-31" },
  });
  expect([404, 405]).toContain(old.status());
  const program = await (await api.get(base + "/api/v1/partner/program")).json();
  const operatorPath = await api.put(base + `/api/v1/operations/partners/${program.partner_id}/competencies/messaging`, {
    headers: csrf,
    data: { level: "gold", expires_on: "2022-12-31" },
  });
  expect(operatorPath.status()).toBe(403);
  await api.dispose();
});
