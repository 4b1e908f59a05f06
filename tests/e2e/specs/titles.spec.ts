// Every page's title names it (WCAG 2.4.2): "its heading – the portal's name", in the reader's
// language, following the heading when it changes (data arriving, another page, the language
// switch).
import { expect, test } from "@playwright/test";
import { LANGS, PAGES, pageIn, settle } from "./a11y";
import { SERVERS } from "./servers";

const APP_NAME = { en: "Planning Services portal", ko: "계획 서비스 포털" };

for (const lang of LANGS) {
  test(`every page's title is its heading and the portal's name (${lang})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const titles: string[] = [];
    for (const item of PAGES) {
      const site = item.site ?? SERVERS.midProgram.url;
      const page = await pageIn(browser, site, lang, item.email);
      await page.goto(site + item.path);
      await settle(page);
      const heading = await page.getByRole("heading", { level: 1 }).first().innerText();
      expect(heading.trim(), item.name).not.toBe("");
      await expect(page, item.name).toHaveTitle(`${heading.replace(/\s+/g, " ").trim()} – ${APP_NAME[lang]}`);
      titles.push(await page.title());
      await page.context().close();
    }
    // Pages at different paths never share a title.
    expect(new Set(titles).size).toBeGreaterThanOrEqual(new Set(PAGES.map((item) => item.path)).size);
  });
}

test("the title follows the heading as data arrives, the page changes and the language switches", async ({ browser }) => {
  const base = SERVERS.midProgram.url;
  const page = await pageIn(browser, base, "en", "admin@contoso.example");
  await page.goto(base + "/vouchers/210510000103");
  await expect(page).toHaveTitle("Voucher 210510000103 – Planning Services portal");

  await page.goto(base + "/partner");
  await expect(page).toHaveTitle("Deadline dashboard – Planning Services portal");
  // The app changes the page without loading a document.
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Enrollment" }).click();
  await expect(page).toHaveTitle("Enrollment – Planning Services portal");

  await page.getByLabel("Language").selectOption("ko");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("등록");
  await expect(page).toHaveTitle("등록 – 계획 서비스 포털");
  await page.context().close();
});
