// Issue 18: a user changes a password and signs in with the new one; resets a forgotten one
// through the emailed link (read from the SMTP sink, smtp-sink.mjs); enrols an authenticator
// app and signs in with its code, computed here as RFC 6238 does (HMAC-SHA-1 over the
// 30-second step). Each test uses its own demo user of the account server's own database.
import { createHmac } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, SERVERS, SMTP_SINK } from "./servers";
import { expectNoViolations } from "./a11y";
import { waitForStartPage } from "./session";

const BASE = SERVERS.account.url;

async function signInWith(page: Page, email: string, password: string) {
  await page.goto(BASE + "/sign-in");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("main").getByRole("button", { name: "Sign in" }).click();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/sign-in");
}

/** RFC 4648 base32 to bytes. */
function base32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of text.replace(/=+$/, "")) bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30-second steps) of `secret` at `step`. */
function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

const currentStep = () => Math.floor(Date.now() / 1000 / 30);

test("RFC 6238's test vector: the code computed here is the standard one", () => {
  const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890"
  expect(totp(secret, Math.floor(59 / 30))).toBe("287082");
});

test("a user changes the password and signs in with the new one", async ({ page }) => {
  const email = "consultant@contoso.example";
  const newPassword = "a new sentence for the consultant";
  await signInWith(page, email, DEMO_PASSWORD);
  await waitForStartPage(page);
  await page.getByRole("link", { name: "Your account" }).click();
  await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();
  // A wrong current password is told at its field and nothing typed is lost.
  await page.getByLabel("Current password").fill("not the password");
  await page.getByLabel("New password").fill(newPassword);
  await page.getByRole("button", { name: "Change the password" }).click();
  await expect(page.getByText("The current password is incorrect.")).toBeVisible();
  await expect(page.getByLabel("New password")).toHaveValue(newPassword);
  await page.getByLabel("Current password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Change the password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your password was changed" })).toBeVisible();
  await signOut(page);

  await signInWith(page, email, DEMO_PASSWORD);
  await expect(page.getByText("The email address or password is incorrect.")).toBeVisible();
  await signInWith(page, email, newPassword);
  await waitForStartPage(page);
});

/** Waits for the reset email to `email` in the sink; the link it carries. */
async function resetLinkFor(email: string, request: import("@playwright/test").APIRequestContext): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const messages: { recipients: string[]; data: string }[] = await (await request.get(SMTP_SINK.url + "/messages")).json();
    for (const message of messages.reverse()) {
      if (!message.recipients.includes(email)) continue;
      // Quoted-printable: soft line breaks and =XX escapes.
      const text = message.data.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
      const link = text.match(/http:\/\/127\.0\.0\.1:18492\/sign-in#reset=[A-Za-z0-9_-]+/);
      if (link) return link[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no reset email to ${email}`);
}

test("a user resets a forgotten password through the emailed link", async ({ page, request }) => {
  const email = "pm@woodgrove.example";
  const newPassword = "the reset sentence of woodgrove";
  await page.goto(BASE + "/sign-in");
  await page.getByRole("button", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await expectNoViolations(page, "forgot-password", "en");
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "a link is on its way" })).toBeVisible();

  // The link opens in a new document, as from a mail client.
  const link = await resetLinkFor(email, request);
  await page.goto("about:blank");
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(page).toHaveURL(BASE + "/sign-in"); // the token is off the address bar
  await expectNoViolations(page, "reset-password", "en");
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await page.getByLabel("New password").fill(newPassword);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your password was changed" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await signInWith(page, email, newPassword);
  await waitForStartPage(page);
  // The link worked once.
  await signOut(page);
  await page.goto("about:blank");
  await page.goto(link);
  await page.getByLabel("New password").fill("yet another long sentence");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("This reset link cannot be used")).toBeVisible();
});

test("a user enrols an authenticator app and signs in with its code", async ({ page }) => {
  const email = "benefits@northwind.example";
  await signInWith(page, email, DEMO_PASSWORD);
  await waitForStartPage(page);
  await page.getByRole("link", { name: "Your account" }).click();
  await expect(page.getByTestId("two-factor-off")).toBeVisible();
  await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code holding the key for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await expect(page.getByLabel("Code the app shows now")).toBeFocused();
  await page.getByLabel("Code the app shows now").fill(totp(secret, currentStep()));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByTestId("two-factor-on")).toBeVisible();
  const codes = (await page.getByTestId("recovery-codes").textContent())!.trim().split("\n");
  expect(codes).toHaveLength(10);
  await signOut(page);

  // The password, then the code: the next step's (the current one was used to confirm).
  await signInWith(page, email, DEMO_PASSWORD);
  await expect(page.getByLabel("Code from your app, or a recovery code")).toBeFocused();
  await expectNoViolations(page, "sign-in code step", "en");
  await page.getByLabel("Code from your app, or a recovery code").fill("000000");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("This code is not valid.")).toBeVisible();
  await page.getByLabel("Code from your app, or a recovery code").fill(totp(secret, currentStep() + 1));
  await page.getByRole("button", { name: "Continue" }).click();
  await waitForStartPage(page);
  await signOut(page);

  // A recovery code instead of the app's code, once.
  await signInWith(page, email, DEMO_PASSWORD);
  await page.getByLabel("Code from your app, or a recovery code").fill(codes[0]);
  await page.getByRole("button", { name: "Continue" }).click();
  await waitForStartPage(page);

  // New recovery codes, with an unused one (the app's codes of this step and the next are used).
  await page.getByRole("link", { name: "Your account" }).click();
  const code = page.getByLabel("Code from your app, or a recovery code");
  await code.fill("12");
  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  await expect(page.getByText("or one of your recovery codes")).toBeVisible();
  await expect(code).toHaveValue("12");
  await code.fill(codes[1]);
  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  await expect(code).toHaveValue("");
  const renewed = (await page.getByTestId("recovery-codes").textContent())!.trim().split("\n");
  expect(renewed).toHaveLength(10);
  expect(renewed.filter((fresh) => codes.includes(fresh))).toEqual([]);
  await expectNoViolations(page, "the account page with two-step sign-in on", "en");

  // Turned off by keyboard with a new recovery code; the next sign-in asks only for the password.
  await code.fill(renewed[0]);
  await page.getByRole("button", { name: "Make new recovery codes" }).focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Turn off two-step sign-in" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Two-step sign-in is off");
  await expect(page.getByTestId("two-factor-off")).toBeVisible();
  await signOut(page);
  await signInWith(page, email, DEMO_PASSWORD);
  await waitForStartPage(page);
});
