// Withdrawing from an offering asks first: what it costs (no reservations of that offering until
// enrolling again) and, when the company could not enroll again today, why. Backing out changes
// nothing; confirming withdraws, and enrolling again restores it.
import { expect, test } from "@playwright/test";
import { SERVERS } from "./servers";
import { signIn } from "./session";

const SEDPS = "S-EDPS (Skype for Business and Exchange Deployment Planning Services)";
const PVDPS = "PVDPS";

test("withdrawing asks first; backing out keeps the enrollment, confirming withdraws it", async ({ page }) => {
  // The operator journey's own database: no other spec reserves there.
  const base = SERVERS.operatorJourney.url;
  await signIn(page, base, "ga@contoso.example");
  await page.goto(base + "/partner/enrollment");
  const row = page.getByRole("listitem").filter({ hasText: SEDPS });
  await expect(row).toContainText("Enrolled");

  const withdraw = row.getByRole("button", { name: "Withdraw" });
  await withdraw.click();
  const dialog = page.getByRole("alertdialog", { name: `Withdraw the company from ${SEDPS}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Until the company enrolls again, it cannot reserve ${SEDPS} vouchers.`);
  await expect(dialog).not.toContainText("could not enroll again");
  await dialog.getByRole("button", { name: "Stay enrolled" }).click();
  await expect(dialog).toBeHidden();
  await expect(withdraw).toBeFocused();
  await expect(row).toContainText("Enrolled");

  await withdraw.click();
  await dialog.getByRole("button", { name: "Withdraw" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await expect(row).toContainText("Not enrolled");

  // Enrolling again puts it back (and leaves this database as the other specs expect it).
  await row.getByRole("button", { name: "Enroll" }).click();
  await expect(row).toContainText("Enrolled");
  await expect(row.getByRole("button", { name: "Withdraw" })).toBeVisible();
});

test("the confirmation says when the company could not enroll again, and Escape backs out", async ({ page }) => {
  // On 2022-01-02 Contoso's Datacenter competency (PVDPS) has expired.
  const base = SERVERS.afterRedemption.url;
  await signIn(page, base, "ga@contoso.example");
  await page.goto(base + "/partner/enrollment");
  const row = page.getByRole("listitem").filter({ hasText: PVDPS });
  await row.getByRole("button", { name: "Withdraw" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("The company could not enroll again today:");
  await expect(dialog).toContainText("Datacenter");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Enrolled");
});
