// The program timeline on the home page, on both sides of the retirement milestones.
import { expect, test, type Page } from "@playwright/test";
import { SERVERS } from "./servers";

function actionsOnDate(page: Page) {
  return page.getByRole("region", { name: /What can be done on the program date|기준일에 할 수 있는 작업/ });
}

function action(page: Page, name: string) {
  return actionsOnDate(page).getByRole("listitem").filter({ hasText: name });
}

test("on 2021-07-15 creating vouchers is closed and redeeming is open", async ({ page }) => {
  await page.goto(SERVERS.midProgram.url + "/");
  await expect(page.getByRole("heading", { level: 1, name: "Program timeline" })).toBeVisible();
  await expect(page.getByTestId("program-date")).toContainText("July 15, 2021");
  await expect(action(page, "Create and assign vouchers")).toContainText("Closed");
  await expect(action(page, "Create and assign vouchers")).toContainText("Closed after June 30, 2021");
  await expect(action(page, "Redeem vouchers")).toContainText("Open");
  await expect(action(page, "Redeem vouchers")).toContainText("Last day: January 1, 2022");
  const deadline = page.getByRole("region", { name: "Next deadline" });
  await expect(deadline).toContainText("Last day to redeem vouchers");
  await expect(deadline).toContainText("in 170 days");
});

test("on 2022-01-02 redeeming is closed and payment requests are still open", async ({ page }) => {
  await page.goto(SERVERS.afterRedemption.url + "/");
  await expect(page.getByTestId("program-date")).toContainText("January 2, 2022");
  await expect(action(page, "Redeem vouchers")).toContainText("Closed");
  await expect(action(page, "Request payment")).toContainText("Open");
  await expect(action(page, "Request payment")).toContainText("Last day: March 2, 2022");
});

test("the program date sits between the milestones it falls between", async ({ page }) => {
  await page.goto(SERVERS.midProgram.url + "/");
  const milestones = page.getByRole("region", { name: "Milestones" }).getByRole("listitem");
  await expect(milestones).toHaveCount(9); // eight milestones and the program date
  const labels = await milestones.allInnerTexts();
  const todayIndex = labels.findIndex((text) => text.includes("Program date:"));
  expect(labels[todayIndex - 1]).toContain("Unused days removed from pools");
  expect(labels[todayIndex + 1]).toContain("Last day to redeem vouchers");
  await expect(milestones.nth(todayIndex)).toHaveAttribute("aria-current", "date");
  const training = milestones.filter({ hasText: "SA training vouchers no longer convert into planning days" });
  await expect(training).toContainText("February 1, 2020");
  await expect(training).toContainText("Passed");
  expect(labels.findIndex((text) => text.includes("SA training vouchers"))).toBe(
    labels.findIndex((text) => text.includes("Cloud engagements retired")) + 1,
  );
});

test("Korean is chosen from the menu, shown everywhere and remembered after a reload", async ({ page }) => {
  await page.goto(SERVERS.midProgram.url + "/");
  await page.getByLabel("Language").selectOption("ko");
  await expect(page.getByRole("heading", { level: 1, name: "프로그램 일정" })).toBeVisible();
  await expect(page.getByTestId("program-date")).toContainText("2021년 7월 15일");
  await expect(action(page, "바우처 생성 및 할당")).toContainText("마감");
  await expect(action(page, "바우처 상환")).toContainText("가능");
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "프로그램 일정" })).toBeVisible();
  await expect(page.getByLabel("언어")).toHaveValue("ko");
});
