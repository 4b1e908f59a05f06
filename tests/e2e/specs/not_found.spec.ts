// Unknown addresses: the app's own page for app routes, the JSON error shape for the API.
import { expect, test } from "@playwright/test";

test("an unknown app route shows the app's not-found page with a way back", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(200); // the app is served for every route; it decides
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the program timeline" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Program timeline" })).toBeVisible();
});

test("an unknown API path answers JSON 404 in the shared error shape", async ({ request }) => {
  const response = await request.get("/api/v1/no-such-endpoint");
  expect(response.status()).toBe(404);
  const body = await response.json();
  expect(body.code).toBe("not_found");
  expect(body.message).toBe("Nothing was found at this address.");
  expect(body.request_id).toBe(response.headers()["x-request-id"]);
});

test("the page loads under the strict content security policy without violations", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") violations.push(message.text());
  });
  const response = await page.goto("/");
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(policy).not.toContain("unsafe-inline");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});
