// Browser benchmarks for scripts/benchmark (not a test: it asserts nothing about time).
//   node benchmark.mjs load <app url> <bare url> <email> <runs>
//     Cold loads, alternating: the app's voucher list until its first row is in the DOM, and the
//     bare Leptos page until its button is; each in a fresh browser context (empty cache). Times
//     are the page's own performance.now() (from navigation start) when a MutationObserver saw
//     the element. Prints JSON {app: [ms…], bare: [ms…]}.
//   node benchmark.mjs tour <app url> <email> <rounds> [<10k url> <10k email>]
//     A partner's tour: the start page in a fresh context (empty cache), then each main
//     navigation link clicked once, timed from the click to the new page's heading in the DOM;
//     documents, wasm files and bytes on the wire counted over the whole tour (Chromium's
//     encoded data length, i.e. compressed, headers included); then the same tour again in the
//     same context, counting wasm files downloaded again. `rounds` repeats the clicks in the
//     second context for more timing samples. With a 10,000-voucher server, clicks from its
//     start page to the voucher list are timed too. Prints JSON.
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

/** Counts documents, wasm files and bytes received by pages of `context` (over CDP). */
async function networkMeter(context, page) {
  const meter = { documents: 0, wasm: 0, bytes: 0, wasmFromCache: 0 };
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const kinds = new Map();
  cdp.on("Network.responseReceived", (event) => {
    kinds.set(event.requestId, { type: event.type, url: event.response.url });
    if (event.type === "Document") meter.documents++;
    if (event.response.url.endsWith(".wasm")) {
      if (event.response.fromDiskCache || event.response.fromPrefetchCache || event.response.fromServiceWorker) meter.wasmFromCache++;
      else meter.wasm++;
    }
  });
  cdp.on("Network.requestServedFromCache", (event) => {
    const kind = kinds.get(event.requestId);
    if (kind?.url.endsWith(".wasm")) meter.wasmFromCache++;
  });
  cdp.on("Network.loadingFinished", (event) => (meter.bytes += event.encodedDataLength));
  return meter;
}

const TOUR = [
  ["Program timeline", "Program timeline"],
  ["Dashboard", "Deadline dashboard"],
  ["Eligibility", "Eligibility"],
  ["Enrollment", "Enrollment"],
  ["Business profile", "Business profile"],
  ["Vouchers", "Vouchers"],
  ["Payments", "Payments"],
  ["Inbox", "Inbox"],
];

/** Clicks a main navigation link; ms from the click to the page's heading reading `heading`. */
async function clickToHeading(page, link, heading) {
  await page.evaluate((heading) => {
    window.__headingAt = undefined;
    const check = () => {
      const h1 = document.querySelector("main h1");
      if (window.__headingAt === undefined && h1 && h1.textContent.trim() === heading) window.__headingAt = performance.now();
    };
    window.__headingObserver?.disconnect();
    window.__headingObserver = new MutationObserver(check);
    window.__headingObserver.observe(document, { childList: true, subtree: true, characterData: true });
  }, heading);
  const anchor = page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: link, exact: true });
  await anchor.waitFor();
  const clickedAt = await anchor.evaluate((element) => {
    const at = performance.now();
    element.click();
    return at;
  });
  // The app changes pages in the same document (a document load would lose this mark and time out).
  await page.waitForFunction(() => window.__headingAt !== undefined, null, { timeout: 60_000 });
  return (await page.evaluate(() => window.__headingAt)) - clickedAt;
}

async function tour(base, email, rounds, bigBase, bigEmail) {
  const context = await signedInContext(base, email);
  const page = await context.newPage();
  const first = await networkMeter(context, page);
  await page.goto(base + "/partner");
  await page.getByRole("heading", { name: "Deadline dashboard" }).waitFor();
  const clicks = [];
  for (const [link, heading] of TOUR) clicks.push(await clickToHeading(page, link, heading));
  await page.waitForLoadState("networkidle");
  const firstTour = { ...first };
  // The same tour again, same context: a new page (as a reader opening the portal again).
  const again = await context.newPage();
  const second = await networkMeter(context, again);
  await again.goto(base + "/partner");
  await again.getByRole("heading", { name: "Deadline dashboard" }).waitFor();
  for (let round = 0; round < rounds; round++) {
    for (const [link, heading] of TOUR) clicks.push(await clickToHeading(again, link, heading));
  }
  await again.waitForLoadState("networkidle");
  await context.close();
  const result = { firstTour, secondTour: { ...second }, clicks };
  if (bigBase) {
    const big = await signedInContext(bigBase, bigEmail);
    const bigPage = await big.newPage();
    await bigPage.goto(bigBase + "/customer");
    await bigPage.getByRole("heading", { level: 1 }).waitFor();
    const toList = [];
    for (let round = 0; round < Math.max(3, rounds); round++) {
      toList.push(await clickToHeading(bigPage, "Vouchers", "Vouchers"));
      await bigPage.waitForSelector("table.data-table tbody tr", { timeout: 120_000 });
      toList.push(await clickToHeading(bigPage, "Benefits", "Planning Services benefit"));
    }
    result.bigList = toList;
    await big.close();
  }
  return result;
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
  else if (mode === "tour") result = await tour(rest[0], rest[1], Number(rest[2] ?? 3), rest[3], rest[4]);
  else if (mode === "interact") result = await interact(rest[0], rest[1], Number(rest[2] ?? 5));
  else throw new Error("usage: benchmark.mjs load|tour|interact …");
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
