// Issue 18, single sign-on: the portal signs people in through a real OpenID provider
// (oidc-provider.mjs, the npm `oidc-provider` package started by playwright.config.ts) with the
// authorization code flow and PKCE, matches them by the provider's verified email to their
// existing account, and refuses everyone else with the domain's words. A partner's Global Admin
// turns local passwords off for the organization on /account; its users then sign in only
// through the provider. The server of these tests has its own database (SERVERS.sso).
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, OIDC_PROVIDER, SERVERS } from "./servers";
import { LANGS, expectNoViolations, pageIn, settle } from "./a11y";
import { waitForStartPage } from "./session";

const BASE = SERVERS.sso.url;

/** Starts a single sign-on from the sign-in page; returns the authorization request's URL. */
async function startSingleSignOn(page: Page): Promise<URL> {
  await page.goto(BASE + "/sign-in");
  const authorization = page.waitForRequest((request) => request.url().startsWith(OIDC_PROVIDER.url + "/auth"));
  await page.getByRole("link", { name: "Sign in with your organization" }).click();
  return new URL((await authorization).url());
}

/** Signs in at the provider's own pages (any password there) and grants the portal access. */
async function signInAtProvider(page: Page, login: string) {
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("the provider's password, not the portal's");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

/** The sign-in page's alert after a single sign-on came back refused. */
async function expectRefused(page: Page, why: string, message: string) {
  await page.waitForURL((url) => url.pathname === "/sign-in");
  expect(new URL(page.url()).searchParams.get("sso_error")).toBe(why);
  await expect(page.getByRole("alert")).toContainText(message);
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
}

test("a consultant signs in through the organization's OpenID provider, with PKCE, and signs out", async ({ page }) => {
  const authorization = await startSingleSignOn(page);
  // The authorization code flow with PKCE (S256), a state and a nonce, for the portal's client.
  const query = authorization.searchParams;
  expect(query.get("response_type")).toBe("code");
  expect(query.get("client_id")).toBe(OIDC_PROVIDER.clientId);
  expect(query.get("redirect_uri")).toBe(BASE + "/api/v1/session/oidc/callback");
  expect(query.get("code_challenge_method")).toBe("S256");
  expect(query.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(query.get("state")?.length).toBeGreaterThanOrEqual(16);
  expect(query.get("nonce")?.length).toBeGreaterThanOrEqual(16);
  expect(query.get("scope")?.split(" ").sort()).toEqual(["email", "openid"]);

  // The provider's email is matched to the account whatever its case.
  await signInAtProvider(page, "Consultant@Contoso.example");
  // Back at the portal, on the role's start page as after a password sign-in.
  await waitForStartPage(page);
  expect(new URL(page.url()).pathname).toBe("/partner");
  const session = await (await page.request.get(BASE + "/api/v1/session")).json();
  expect(session.user.email).toBe("consultant@contoso.example");
  expect(session.user.role).toBe("consultant");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/sign-in");
  expect((await page.request.get(BASE + "/api/v1/session")).status()).toBe(401);
});

test("a verified email that is no portal account's is refused with the reason", async ({ page }) => {
  await startSingleSignOn(page);
  await signInAtProvider(page, "stranger@contoso.example");
  await expectRefused(page, "sso_no_account", "no active portal account has that email address");
});

test("an email the provider has not verified is refused, even before looking for its account", async ({ page }) => {
  await startSingleSignOn(page);
  await signInAtProvider(page, "unverified.consultant@contoso.example");
  await expectRefused(page, "sso_email_not_verified", "has not verified your email address");
});

test("a callback this browser did not start signs in nobody", async ({ page }) => {
  await page.goto(BASE + "/api/v1/session/oidc/callback?code=made-up&state=made-up");
  await expectRefused(page, "sso_failed", "Signing in with your organization did not complete");
});

test("Fabrikam's Global Admin turns passwords off by keyboard; its users then sign in only through the provider", async ({
  browser,
}) => {
  const admin = await pageIn(browser, BASE, "en", "ga@fabrikam.example");
  await admin.goto(BASE + "/account");
  await settle(admin);
  const section = admin.getByRole("region", { name: "How your organization signs in" });
  const allow = section.getByLabel("Allow your users to sign in with their portal passwords");
  await expect(allow).toBeChecked();
  await expectNoViolations(admin, "the account page with the sign-in switch", "en");
  await allow.focus();
  await admin.keyboard.press("Space");
  await expect(allow).not.toBeChecked();
  await admin.keyboard.press("Tab");
  await expect(section.getByRole("button", { name: "Save how your organization signs in" })).toBeFocused();
  await admin.keyboard.press("Enter");
  await expect(section.getByRole("status")).toContainText("sign in only through your organization's identity provider");
  await admin.reload();
  await settle(admin);
  await expect(allow).not.toBeChecked();

  // Fabrikam's administrator: the right password is refused with the reason...
  const page = await browser.newPage();
  await page.goto(BASE + "/sign-in");
  await page.getByLabel("Work email").fill("admin@fabrikam.example");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Your organization signs in through its own identity provider");
  // ...and the organization's provider signs them in.
  await page.getByRole("link", { name: "Sign in with your organization" }).click();
  await signInAtProvider(page, "admin@fabrikam.example");
  await waitForStartPage(page);
  const session = await (await page.request.get(BASE + "/api/v1/session")).json();
  expect(session.user.email).toBe("admin@fabrikam.example");
  await page.context().close();
  await admin.context().close();
});

for (const lang of LANGS) {
  test(`the sign-in page with single sign-on and the Global Admin's switch are axe-clean (${lang})`, async ({ browser }) => {
    const visitor = await pageIn(browser, BASE, lang);
    await visitor.goto(BASE + "/sign-in");
    await settle(visitor);
    await expect(visitor.locator(`a[href="/api/v1/session/oidc/start"]`)).toBeVisible();
    await expectNoViolations(visitor, "the sign-in page with single sign-on", lang);
    await visitor.context().close();

    const admin = await pageIn(browser, BASE, lang, "ga@contoso.example");
    await admin.goto(BASE + "/account");
    await settle(admin);
    await expect(admin.locator("#sign-in-policy-title")).toBeVisible();
    await expect(admin.locator("#sign-in-policy-title")).toHaveText(
      lang === "ko" ? "조직의 로그인 방식" : "How your organization signs in",
    );
    await expectNoViolations(admin, "the account page of a Global Admin", lang);
    await admin.context().close();
  });
}

test("only the Global Admin sees how the organization signs in", async ({ browser }) => {
  const page = await pageIn(browser, BASE, "en", "admin@contoso.example");
  await page.goto(BASE + "/account");
  await settle(page);
  await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "How your organization signs in" })).toHaveCount(0);
  await page.context().close();
});
