// Signing in, through the form as a person does, or through the API for set-up steps.
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "./servers";

/** Signs in through the sign-in page of `base` and waits for the role's start page. */
export async function signIn(page: Page, base: string, email: string) {
  await page.goto(base + "/sign-in");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "Sign in" }).click();
  await waitForStartPage(page);
}

/**
 * Waits until the app has left the sign-in page for the role's start page: "Sign out" shows on
 * the sign-in page a moment before the app moves on, so waiting for it alone is not enough.
 */
export async function waitForStartPage(page: Page) {
  await page.waitForURL((url) => url.pathname !== "/sign-in");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** Signs `request` in through the API; returns the anti-forgery header for state changes. */
export async function apiSignIn(request: APIRequestContext, base: string, email: string) {
  const response = await request.post(base + "/api/v1/session", { data: { email, password: DEMO_PASSWORD } });
  expect(response.status()).toBe(200);
  const session = await response.json();
  return { "x-csrf-token": session.csrf_token as string };
}
