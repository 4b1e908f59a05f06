// Layout from 320 px up: no page scrolls sideways at 320 px in English or Korean (a wide table
// or chart scrolls inside its own container), and with reduced motion asked for, nothing moves.
import { expect, test } from "@playwright/test";
import { LANGS, PAGES, pageIn, settle } from "./a11y";
import { SERVERS } from "./servers";

const base = SERVERS.midProgram.url;

for (const lang of LANGS) {
  test(`no page scrolls sideways at 320 px (${lang})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const overflowing: string[] = [];
    for (const item of PAGES) {
      const site = item.site ?? base;
      const page = await pageIn(browser, site, lang, item.email, { width: 320, height: 640 });
      await page.goto(site + item.path);
      await settle(page);
      const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
        const root = document.scrollingElement!;
        // The element reaching furthest right, to say what overflows.
        let widest = "";
        let right = window.innerWidth;
        for (const element of Array.from(document.body.querySelectorAll("*"))) {
          const box = element.getBoundingClientRect();
          if (box.right > right + 0.5 && box.width > 0) {
            right = box.right;
            widest = `${element.tagName.toLowerCase()}.${(element.getAttribute("class") ?? "").replace(/ /g, ".")}`;
          }
        }
        return { scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, widest };
      });
      if (scrollWidth > innerWidth) overflowing.push(`${item.name}: ${scrollWidth} px wide (${widest})`);
      await page.context().close();
    }
    expect(overflowing).toEqual([]);
  });
}

test("with reduced motion asked for, no transition or animation runs", async ({ browser }) => {
  const page = await pageIn(browser, base, "en", "admin@contoso.example");
  const probe = () =>
    page.evaluate(() => {
      // An element that asks for motion, as a future component might: the page's rule must win.
      const moving = document.createElement("div");
      moving.style.transition = "opacity 1s";
      moving.style.animation = "spin 1s infinite";
      document.body.append(moving);
      const probeStyle = getComputedStyle(moving);
      const probeMoves = probeStyle.transitionDuration !== "0s" || probeStyle.animationName !== "none";
      moving.remove();
      const moving_elements = Array.from(document.querySelectorAll("*")).filter((element) => {
        const style = getComputedStyle(element);
        return style.animationName !== "none" || style.transitionDuration.split(",").some((d) => d.trim() !== "0s");
      });
      return { probeMoves, moving: moving_elements.length, running: document.getAnimations().length };
    });
  for (const path of ["/vouchers/210510000103", "/partner"]) {
    await page.emulateMedia({ reducedMotion: "no-preference" });
    await page.goto(base + path);
    await settle(page);
    // Without the preference the probe moves (the check below can tell the difference)...
    expect((await probe()).probeMoves).toBe(true);
    // ...with it, nothing does.
    await page.emulateMedia({ reducedMotion: "reduce" });
    expect(await probe()).toEqual({ probeMoves: false, moving: 0, running: 0 });
  }
  await page.context().close();
});
