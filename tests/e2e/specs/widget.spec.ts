// The embeddable widget on third-party pages: a tiny static server on another port (another
// origin) serves a page with hostile CSS (global resets, `* { all: unset }`, huge fonts) that
// embeds the widget with the snippet the API returns. Both kinds must render, readable by role
// and text; a revoked token and an origin not on the token must end as a message inside the
// widget, with the host page intact.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { SERVERS } from "./servers";

const PORTAL = SERVERS.midProgram.url;
const RESERVED = "210510000103"; // Northwind's voucher reserved by Contoso, engagement ahead
const screenshots = path.join(process.env.PORTAL_REPO_ROOT ?? path.resolve(__dirname, "../../.."), "screenshots");

const HOSTILE_CSS = `
* { all: unset !important; }
html { font-size: 48px !important; }
body { display: block !important; margin: 24px !important; font: 40px/2.5 "Comic Sans MS", cursive !important;
  color: #c0f !important; background: #222 !important; letter-spacing: 4px !important;
  text-transform: uppercase !important; }
h1, p, div { display: block !important; }
planning-widget { font-size: 72px !important; color: red !important; line-height: 5 !important;
  border: 9px dashed yellow !important; }
li, span, h2, h3, p, section, ol, ul, dl, dt, dd { color: lime !important; font-size: 60px !important; display: inline !important; }
`;

/** A third-party site: serves the page set for a path, and its hostile stylesheet. */
class ThirdPartySite {
  private pages = new Map<string, string>();
  private server = http.createServer((request, response) => {
    const url = request.url ?? "/";
    if (url === "/hostile.css") {
      response.writeHead(200, { "content-type": "text/css" });
      response.end(HOSTILE_CSS);
      return;
    }
    const page = this.pages.get(url);
    response.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    response.end(page ?? "not found");
  });
  origin = "";

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A page with `body`, the hostile stylesheet (unless `plain`) and a decoy that uses the widget's class names. */
  page(urlPath: string, body: string, { plain = false } = {}) {
    const stylesheet = plain ? "" : '<link rel="stylesheet" href="/hostile.css">';
    this.pages.set(
      urlPath,
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Partner intranet</title>
${stylesheet}</head><body>
<h1>Partner intranet</h1>
<div class="pw status notice error" data-testid="decoy">Host text with the widget's class names</div>
${body}
</body></html>`,
    );
    return this.origin + urlPath;
  }
}

async function signIn(request: APIRequestContext, email: string) {
  const response = await request.post(`${PORTAL}/api/v1/session`, {
    data: { email, password: "planning-demo-2021" },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { csrf_token: string; user: { organization: { id: number } } };
}

async function createToken(request: APIRequestContext, email: string, target: object, origins: string[]) {
  const session = await signIn(request, email);
  const response = await request.post(`${PORTAL}/api/v1/embed-tokens`, {
    headers: { "x-csrf-token": session.csrf_token },
    data: { target, allowed_origins: origins, expires_in_days: 7 },
  });
  expect(response.status()).toBe(201);
  const created = (await response.json()) as { secret: string; snippet: string; token: { id: number } };
  return { ...created, csrf: session.csrf_token, organization: session.user.organization.id };
}

/** Collects the host page's uncaught errors: the widget must never throw into it. */
function pageErrors(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

let site: ThirdPartySite;
let otherSite: ThirdPartySite;

test.beforeAll(async () => {
  site = new ThirdPartySite();
  otherSite = new ThirdPartySite();
  await site.start();
  await otherSite.start();
  fs.mkdirSync(screenshots, { recursive: true });
});

test.afterAll(async () => {
  await site.stop();
  await otherSite.stop();
});

test("a voucher card renders on a hostile page in English and Korean, then says when its token is revoked", async ({
  page,
  request,
}) => {
  const errors = pageErrors(page);
  const created = await createToken(request, "benefits@northwind.example", { voucher: RESERVED }, [site.origin]);
  // The snippet as the API gives it, plus a Korean copy of its element.
  const korean = created.snippet.split("\n")[1].replace('lang="en"', 'lang="ko"');
  const url = site.page("/voucher.html", `${created.snippet}\n${korean}`);
  await page.goto(url);

  const card = page.getByRole("region", { name: `Voucher ${RESERVED}` });
  await expect(card).toBeVisible();
  await expect(card.getByRole("heading", { name: `Voucher ${RESERVED}` })).toBeVisible();
  await expect(card.getByRole("status")).toHaveText("Reserved");
  const steps = card.getByRole("list", { name: "Progress" }).getByRole("listitem");
  await expect(steps).toHaveCount(5);
  await expect(steps.nth(0)).toContainText("4. Create and assign (done)");
  await expect(steps.nth(1)).toContainText("5. Partner reserves (done)");
  await expect(steps.nth(2)).toContainText("6. Deliver and report (current step)");
  await expect(steps.nth(2)).toHaveAttribute("aria-current", "step");
  await expect(steps.nth(4)).toContainText("8. Request payment (not yet)");
  const deadlines = card.getByRole("definition");
  await expect(card.getByRole("term")).toHaveText("Voucher valid through");
  await expect(deadlines).toContainText(/\d+ days left/);
  await expect(deadlines).toContainText("(end of day UTC)");
  await expect(card).toContainText("Partner: Contoso Consulting");

  // The host's CSS reaches neither the widget's text nor its layout...
  const heading = card.getByRole("heading", { name: `Voucher ${RESERVED}` });
  await expect(heading).toHaveCSS("font-size", "16.1px");
  await expect(heading).not.toHaveCSS("font-family", /Comic Sans/);
  await expect(heading).toHaveCSS("text-transform", "none");
  await expect(card).toHaveCSS("display", "block");
  await expect(page.getByTestId("decoy")).toHaveCSS("font-size", "40px");

  const koreanCard = page.getByRole("region", { name: `바우처 ${RESERVED}` });
  await expect(koreanCard.getByRole("status")).toHaveText("예약됨");
  await expect(koreanCard.getByRole("list", { name: "진행 단계" }).getByRole("listitem").nth(2)).toContainText(
    "6. 수행 및 완료 보고 (현재 단계)",
  );
  await expect(koreanCard.getByRole("definition")).toContainText(/\d+일 남음/);
  await page.screenshot({ path: path.join(screenshots, "widget-voucher-hostile-page.png"), fullPage: true });

  // Revoked in the portal: the same page now shows why, inside the widget.
  const revoke = await request.delete(`${PORTAL}/api/v1/embed-tokens/${created.token.id}`, {
    headers: { "x-csrf-token": created.csrf },
  });
  expect(revoke.status()).toBe(200);
  await page.reload();
  await expect(page.getByRole("alert").first()).toHaveText("This widget's embed token was revoked.");
  await expect(page.getByRole("alert").nth(1)).toHaveText("이 위젯의 삽입 토큰이 취소되었습니다.");
  await expect(page.getByRole("heading", { name: "Partner intranet" })).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "widget-revoked-token.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("an eligibility badge shows a partner's offerings with checks a screen reader can read", async ({
  page,
  request,
}) => {
  const errors = pageErrors(page);
  const session = await signIn(request, "ga@contoso.example");
  const created = await createToken(
    request,
    "ga@contoso.example",
    { partner: session.user.organization.id },
    [site.origin],
  );
  await page.goto(site.page("/badge.html", created.snippet));
  const badge = page.getByRole("region", { name: "Planning Services eligibility: Contoso Consulting" });
  await expect(badge.getByRole("heading", { level: 2, name: "Contoso Consulting" })).toBeVisible();
  await expect(badge).toContainText("As of July 15, 2021");
  const offerings = badge.getByRole("list", { name: "Offerings" }).getByRole("listitem").filter({
    has: page.getByRole("heading", { level: 3 }),
  });
  expect(await offerings.count()).toBeGreaterThan(0);
  // Every engagement says in words whether it is eligible, beside its decorative mark.
  const eligible = badge.getByRole("listitem").filter({ hasText: "(eligible)" });
  expect(await eligible.count()).toBeGreaterThan(0);
  await expect(eligible.first()).toContainText("✓");
  await expect(badge.getByText("Active").first()).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "widget-badge-hostile-page.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("a page on an origin the token does not name is refused, and bad attributes get a message", async ({
  page,
  request,
}) => {
  const errors = pageErrors(page);
  const created = await createToken(request, "benefits@northwind.example", { voucher: RESERVED }, [site.origin]);
  // The same snippet on another site: the portal sends no CORS header, the browser withholds the answer.
  await page.goto(otherSite.page("/copied.html", created.snippet));
  await expect(page.getByRole("alert")).toHaveText(
    "The portal could not be reached, or does not allow this website to show the widget.",
  );
  await expect(page.getByRole("region", { name: `Voucher ${RESERVED}` })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Partner intranet" })).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "widget-origin-refused.png"), fullPage: true });

  // On the allowed site: a cut-off token, another voucher, a missing attribute.
  const element = created.snippet.split("\n")[1];
  const script = created.snippet.split("\n")[0];
  const broken = [
    element.replace(/token="([^"]+)"/, (_, token: string) => `token="${token.slice(0, 20)}"`),
    element.replace(`voucher="${RESERVED}"`, 'voucher="210620000102"'),
    element.replace(/ api="[^"]+"/, ""),
  ].join("\n");
  // A plain page this time: nothing of the widget's CSS may reach the host's decoy.
  await page.goto(site.page("/broken.html", `${script}\n${broken}`, { plain: true }));
  const alerts = page.getByRole("alert");
  await expect(alerts).toHaveCount(3);
  await expect(alerts.nth(0)).toHaveText("This widget's embed token is not valid. Copy the snippet again.");
  await expect(alerts.nth(1)).toHaveText(
    "Nothing to show: the widget names a voucher or partner its token is not for.",
  );
  await expect(alerts.nth(2)).toHaveText('The widget is missing its "api" attribute.');
  const decoy = page.getByTestId("decoy");
  await expect(decoy).toHaveCSS("border-left-width", "0px");
  await expect(decoy).toHaveCSS("padding-left", "0px");
  await expect(alerts.nth(2)).toHaveCSS("border-left-width", "3px");
  expect(errors).toEqual([]);
});
