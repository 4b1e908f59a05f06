// Browser benchmarks for scripts/benchmark (not a test: it asserts nothing about time).
//   node benchmark.mjs load <app url> <bare url> <email> <runs>
//     Cold loads, alternating: the app's voucher list until its first row is in the DOM, and the
//     bare Leptos page until its button is; each in a fresh browser context (empty cache). Times
//     are the page's own performance.now() (from navigation start) when a MutationObserver saw
//     the element. Prints JSON {app: [ms…], bare: [ms…]}.
//   node benchmark.mjs interact <app url> <email> <runs>
//     On a voucher list of 10,000 rows: each interaction (search, clear, sort, state filter) is
//     timed from the input event to the next painted frame (requestAnimationFrame, then a task),
//     checking that the list really changed. Prints JSON {rows, interactions: {name: [ms…]}}.
import { chromium } from "playwright-core";
import { CHROMIUM } from "./chromium.mjs";

const PASSWORD = "planning-demo-2021";

const [mode, ...rest] = process.argv.slice(2);
const browser = await chromium.launch(CHROMIUM);

/** Records in `window.__seenAt` when `selector` first matches. */
function watchFor(selector) {
  return `(() => {
    const check = () => {
      if (window.__seenAt === undefined && document.querySelector(${JSON.stringify(selector)})) {
        window.__seenAt = performance.now();
      }
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  })();`;
}

async function signedInContext(base, email) {
  const context = await browser.newContext();
  const response = await context.request.post(base + "/api/v1/session", { data: { email, password: PASSWORD } });
  if (response.status() !== 200) throw new Error(`sign-in as ${email} answered ${response.status()}`);
  await context.addInitScript(() => localStorage.setItem("portal.signed-in", "1"));
  return context;
}

async function coldLoad(context, url, selector) {
  await context.addInitScript({ content: watchFor(selector) });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__seenAt !== undefined, null, { timeout: 60_000 });
  const ms = await page.evaluate(() => window.__seenAt);
  await context.close();
  return ms;
}

async function load(appBase, bareBase, email, runs) {
  const app = [];
  const bare = [];
  for (let run = 0; run < runs; run++) {
    app.push(await coldLoad(await signedInContext(appBase, email), appBase + "/vouchers", "table.data-table tbody tr"));
    bare.push(await coldLoad(await browser.newContext(), bareBase + "/", "button#bare"));
  }
  return { app, bare };
}

/** Sets a control's value as a person would, then waits for the next painted frame. */
async function timed(page, selector, value) {
  return page.evaluate(
    async ([selector, value]) => {
      const control = document.querySelector(selector);
      const summary = () => document.querySelector("p[role=status]").textContent;
      const firstRow = () => document.querySelector("table.data-table tbody tr")?.textContent ?? "";
      const before = summary() + firstRow();
      const started = performance.now();
      control.value = value;
      control.dispatchEvent(new Event("input", { bubbles: true }));
      control.dispatchEvent(new Event("change", { bubbles: true }));
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const ms = performance.now() - started;
      return { ms, changed: summary() + firstRow() !== before };
    },
    [selector, value],
  );
}

async function interact(base, email, runs) {
  const context = await signedInContext(base, email);
  const page = await context.newPage();
  await page.goto(base + "/vouchers");
  await page.waitForSelector("table.data-table tbody tr", { timeout: 120_000 });
  const rows = await page.evaluate(() => document.querySelector("p[role=status]").textContent);
  const steps = [
    ["search by number", "#filter-search", "90000001"],
    ["clear the search", "#filter-search", ""],
    ["sort by customer", "#sort", "customer"],
    ["sort by expiry", "#sort", ""],
    ["state filter: reserved", "#filter-status", "reserved"],
    ["state filter: any", "#filter-status", ""],
  ];
  const interactions = Object.fromEntries(steps.map(([name]) => [name, []]));
  for (let run = 0; run < runs; run++) {
    for (const [name, selector, value] of steps) {
      const { ms, changed } = await timed(page, selector, value);
      if (!changed) throw new Error(`"${name}" did not change the list`);
      interactions[name].push(ms);
    }
  }
  await context.close();
  return { rows, interactions };
}

try {
  let result;
  if (mode === "load") result = await load(rest[0], rest[1], rest[2], Number(rest[3] ?? 15));
  else if (mode === "interact") result = await interact(rest[0], rest[1], Number(rest[2] ?? 5));
  else throw new Error("usage: benchmark.mjs load|interact …");
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
