// The customer's journeys: the benefit administrator activates the benefit, creates a voucher,
// assigns it and shares its number; the project manager sees it; the pool refuses more days than
// it holds; after the last creation day the form explains that creation has closed.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { SERVERS } from "./servers";
import { apiSignIn, signIn } from "./session";

const open = SERVERS.customerJourney.url;
const closed = SERVERS.midProgram.url;

test.describe.configure({ mode: "serial" });
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

let createdVoucherId = "";

test("the benefit administrator activates the benefit, creates and assigns a voucher, and copies its number", async ({ page }) => {
  await signIn(page, open, "benefits@woodgrove.example");
  await expect(page).toHaveURL(/\/customer$/);
  await expect(page.getByRole("heading", { level: 1, name: "Planning Services benefit" })).toBeVisible();

  const pool = page.getByRole("article", { name: "Enrollment 67005679" });
  await expect(pool).toContainText("Not activated yet");
  await pool.getByRole("button", { name: "Activate Planning Services" }).click();
  await expect(pool).toContainText("Activated on June 15, 2021");
  await expect(pool).toContainText("15 days remaining");

  const form = page.getByRole("region", { name: "Create a voucher" });
  await expect(form).toContainText("Vouchers can be created until June 30, 2021");
  await form.getByLabel("Pool of days (licensing enrollment)").selectOption({ label: "Enrollment 67005679 (15 days left)" });
  await form.getByLabel("Offering").selectOption("SSDPS");
  await form.getByLabel("Service level (days)").selectOption({ label: "5 days" });
  await form.getByLabel("Assign to project manager").selectOption("pm@woodgrove.example");
  await form.getByRole("button", { name: "Create and assign voucher" }).click();

  const created = page.getByRole("status").filter({ hasText: "was created and assigned to pm@woodgrove.example" });
  await expect(created).toBeVisible();
  createdVoucherId = (await created.getByTestId("created-voucher-id").textContent()) ?? "";
  expect(createdVoucherId).toMatch(/^\d{12}$/);
  await expect(created).toContainText("How to share it with a partner");
  await created.getByRole("button", { name: "Copy voucher ID" }).click();
  await expect(created).toContainText("Copied.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(createdVoucherId);

  // The days left the pool, and its history says why.
  await expect(pool).toContainText("10 days remaining");
  await pool.getByRole("button", { name: "Show the pool's history" }).click();
  const row = pool.getByRole("row").filter({ hasText: createdVoucherId });
  await expect(row).toContainText("Voucher created");
  await expect(row).toContainText("-5");
});

test("the project manager sees the voucher assigned to them and cannot create one", async ({ page }) => {
  expect(createdVoucherId).not.toBe("");
  await signIn(page, open, "pm@woodgrove.example");
  await expect(page.getByRole("heading", { level: 1, name: "Planning Services benefit" })).toBeVisible();
  await expect(page.getByRole("article", { name: "Enrollment 67005679" })).toContainText("10 days remaining");
  await expect(page.getByRole("article", { name: "Enrollment 67005679" }).getByRole("button", { name: "Activate Planning Services" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Create a voucher" })).toHaveCount(0);
  const { vouchers } = await (await page.request.get(open + "/api/v1/vouchers")).json();
  const mine = vouchers.find((view: { voucher: { id: string } }) => view.voucher.id === createdVoucherId);
  expect(mine?.status).toBe("assigned");
  expect(mine?.voucher.assignee_email).toBe("pm@woodgrove.example");
});

test("a pool never gives more days than it holds: only fitting levels are offered, and the server refuses a stale choice", async ({ page }) => {
  await signIn(page, open, "benefits@woodgrove.example");
  const form = page.getByRole("region", { name: "Create a voucher" });
  await form.getByLabel("Pool of days (licensing enrollment)").selectOption({ label: "Enrollment 67005679 (10 days left)" });
  const levels = form.getByLabel("Service level (days)");
  await expect(levels.getByRole("option")).toHaveText(["Choose…", "1 day", "3 days", "5 days", "10 days"]);
  await expect(form).toContainText("Only the service levels this pool can cover are offered (10 days left).");

  // Meanwhile, another session takes 5 of the 10 days.
  const other = await playwrightRequest.newContext();
  const csrf = await apiSignIn(other, open, "benefits@woodgrove.example");
  const taken = await other.post(open + "/api/v1/vouchers", {
    headers: csrf,
    data: { enrollment_id: "67005679", offering: "DDPS", service_level: 5, assignee_email: "pm@woodgrove.example" },
  });
  expect(taken.status()).toBe(201);
  await other.dispose();

  await form.getByLabel("Offering").selectOption("DDPS");
  await levels.selectOption({ label: "10 days" });
  await form.getByLabel("Assign to project manager").selectOption("pm@woodgrove.example");
  await form.getByRole("button", { name: "Create and assign voucher" }).click();
  await expect(form.getByRole("alert")).toContainText(
    "The enrollment has 5 Planning Services days left, fewer than the 10 this voucher needs; choose a shorter service level.",
  );
  // The form now offers only what the pool holds.
  await expect(levels.getByRole("option")).toHaveText(["Choose…", "1 day", "3 days", "5 days"]);
});

test("after the last creation day the form explains it has closed, and the server refuses", async ({ page, request }) => {
  await signIn(page, closed, "benefits@northwind.example");
  const section = page.getByRole("region", { name: "Create a voucher" });
  await expect(section.getByRole("note")).toContainText("Voucher creation has closed");
  await expect(section).toContainText("Vouchers could be created until June 30, 2021.");
  await expect(section.getByRole("button", { name: "Create and assign voucher" })).toHaveCount(0);

  const csrf = await apiSignIn(request, closed, "benefits@northwind.example");
  const refused = await request.post(closed + "/api/v1/vouchers", {
    headers: csrf,
    data: { enrollment_id: "67001234", offering: "DDPS", service_level: 1, assignee_email: "pm@northwind.example" },
  });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).message).toBe(
    "Vouchers can no longer be created; the last day was June 30, 2021 (end of day UTC).",
  );
});

test("the interface speaks Korean too", async ({ page }) => {
  await signIn(page, closed, "benefits@northwind.example");
  await page.getByLabel("Language").selectOption("ko");
  await expect(page.getByRole("heading", { level: 1, name: "계획 서비스 혜택" })).toBeVisible();
  await expect(page.getByRole("region", { name: "바우처 생성" })).toContainText("바우처 생성이 마감되었습니다");
  await page.getByLabel("언어").selectOption("en");
});
