// The program's rules as a reader meets them (issue 17): the payment clock that stops while
// Microsoft has a request, deadlines said with their time zone, the delivery countries the
// program pays for, and controls shown only to a role that may use them. Read-only, on the demo
// data of the mid-program server (2021-07-15).
import { expect, test } from "@playwright/test";
import { SERVERS } from "./servers";
import { signIn } from "./session";

const base = SERVERS.midProgram.url;
/** Redeemed 2021-07-02 (last day 2021-08-31), claimed by the demo request submitted 2021-07-06. */
const CLAIMED = "210310000108";
/** Redeemed 2021-07-01: payment may be requested through 2021-08-30. */
const REDEEMED = "210301000105";

test("a claimed voucher and its request show the payment clock paused with the days left", async ({ page }) => {
  await signIn(page, base, "admin@contoso.example");
  await page.goto(base + `/vouchers/${CLAIMED}`);
  const deadlines = page.getByRole("region", { name: "Deadlines" });
  // 2021-08-31 minus the submission day 2021-07-06: 56 days, kept while Microsoft decides.
  await expect(deadlines).toContainText("Paused while Microsoft reviews the request: 56 days left");

  await page.goto(base + "/payments");
  const requests = page.getByRole("table", { name: "Payment requests" });
  await expect(requests.getByRole("row", { name: /PSR-2021-000002/ })).toContainText(
    "Paused while Microsoft reviews the request: 56 days left",
  );
});

test("deadlines say they are UTC days that end at the end of the day", async ({ page }) => {
  await signIn(page, base, "admin@contoso.example");
  await page.goto(base + `/vouchers/${REDEEMED}`);
  const deadlines = page.getByRole("region", { name: "Deadlines" });
  await expect(deadlines).toContainText("August 30, 2021");
  await expect(deadlines).toContainText("last day, end of day UTC");
  await page.goto(base + "/");
  await expect(page.getByText("Every date is a UTC calendar date; a last day ends at the end of that day UTC.")).toBeVisible();
});

test("the Global Admin reserves too, and only the countries the program pays for are offered", async ({ page }) => {
  await signIn(page, base, "ga@contoso.example");
  await page.goto(base + "/vouchers/reserve");
  await expect(page.getByRole("heading", { level: 1, name: "Validate and reserve a voucher" })).toBeVisible();
  await page.getByLabel("Voucher number").fill("210628000101");
  await page.getByLabel("Customer contact's email").fill("pm@northwind.example");
  await page.getByRole("button", { name: "Validate" }).click();
  const country = page.getByLabel("Delivery country");
  await expect(country).toBeVisible();
  const offered = await country.locator("option").evaluateAll((options) =>
    options.map((option) => (option as HTMLOptionElement).value).filter((value) => value !== ""),
  );
  // The configured rate table (crates/server/config/program.toml), not a list in the app.
  const program = await (await page.request.get(base + "/api/v1/program")).json();
  expect(offered).toEqual(program.daily_rates.map((rate: { country: string }) => rate.country));
  expect(offered).toContain("KR");
  expect(offered).not.toContain("CH");
});

test("a consultant reads the checklist without the editors an admin gets", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, base, "admin@contoso.example");
  await admin.goto(base + "/partner/eligibility");
  await expect(admin.getByRole("heading", { name: "MPN locations" })).toBeVisible();

  const consultant = await (await browser.newContext()).newPage();
  await signIn(consultant, base, "consultant@contoso.example");
  await consultant.goto(base + "/partner/eligibility");
  await expect(consultant.getByRole("heading", { name: "Company requirements" })).toBeVisible();
  await expect(consultant.getByRole("heading", { name: "MPN locations" })).toHaveCount(0);
  await expect(consultant.getByRole("button", { name: "Add the location" })).toHaveCount(0);
});
