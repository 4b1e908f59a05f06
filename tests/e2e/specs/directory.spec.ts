// The partner directory: search by country, offering and competency, and a partner's profile.
import { expect, test } from "@playwright/test";
import { SERVERS } from "./servers";
import { signIn } from "./session";

const base = SERVERS.midProgram.url;

test("a customer finds partners by country, offering and competency and opens a profile", async ({ page }) => {
  await signIn(page, base, "pm@northwind.example");
  await page.getByRole("link", { name: "Find a partner" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Find a partner" })).toBeVisible();
  const results = page.getByRole("list").filter({ has: page.getByRole("heading", { level: 3 }) });
  await expect(results.getByRole("heading", { level: 3 })).toHaveText(["Contoso Consulting", "Fabrikam Advisory"]);

  const search = page.getByRole("search", { name: "Search the partner directory" });
  await search.getByLabel("Country").fill("us");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/country=US/);
  await expect(results.getByRole("heading", { level: 3 })).toHaveText(["Fabrikam Advisory"]);

  await search.getByLabel("Country").fill("");
  await search.getByLabel("Offering").selectOption("S-EDPS");
  await search.getByLabel("Competency").selectOption({ label: "Messaging" });
  await search.getByRole("button", { name: "Search" }).click();
  await expect(results.getByRole("heading", { level: 3 })).toHaveText(["Contoso Consulting"]);
  await expect(page.getByText("Partners 1–1 of 1")).toBeVisible();

  await page.getByRole("link", { name: "Contoso Consulting" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contoso Consulting" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Locations" })).toContainText("Seoul (KR)");
  await expect(page.getByRole("region", { name: "Offerings and competencies" })).toContainText("Messaging · Gold");
  await page.goBack();
  await expect(page).toHaveURL(/competency=messaging/);
});

test("an invalid country is explained in the shared crate's words and not searched", async ({ page }) => {
  await page.goto(base + "/directory");
  const search = page.getByRole("search", { name: "Search the partner directory" });
  await search.getByLabel("Country").fill("Korea");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(search.getByLabel("Country")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/directory$/);
});
