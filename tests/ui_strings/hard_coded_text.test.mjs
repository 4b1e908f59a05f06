// No user-visible string is hard-coded in the app's or the widget's components (node --test).
// build.rs already fails the build when a key or a placeholder is missing in one locale; this
// checks the other half: that the words reach the page only through the locale files or the
// domain crate's messages. The first tests prove the scanner finds what it must (so the checks
// of the real sources can fail); then one test per source file.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { isAllowed, rustFiles, scanSource } from "./scan.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// The widget's words live in its own text table, in both languages (see ARCHITECTURE.md).
const WORD_TABLES = new Set(["widget/src/text.rs"]);

const texts = (source) => scanSource(source).findings.map((finding) => finding.text);

test("the scanner finds words in every text sink of the DOM builder", () => {
  const source = `
    fn page() -> El {
        el("p").text("Hello there")
            .child(text_el("span", "Reserved"))
            .child(tr_el("h2", Signal::stored("Deadlines")))
            .child(span(&format!("{} days left", days)))
            .attr("aria-label", "Close the dialog")
            .attr("title", &format!("Voucher {id}"))
            .attr_tr("placeholder", Signal::stored("Search…"))
            .child(button("button", Signal::stored("Redeem")))
    }`;
  assert.deepEqual(texts(source), [
    "Hello there",
    "Reserved",
    "Deadlines",
    "{} days left",
    "Close the dialog",
    "Voucher {id}",
    "Search…",
    "Redeem",
  ]);
});

test("the scanner finds Korean words, view! text nodes and visible view! attributes", () => {
  const source = `
    view! { <p class="x">"바우처"</p> <button aria-label="Close">"✕"</button> <img alt="Logo"/> }
    fn widget(dom: &Dom) { dom.text_child(&parent, "span", "status ok", "Active"); dom.append_text(&parent, "Paid"); }`;
  assert.deepEqual(texts(source), ["바우처", "Close", "Logo", "Active", "Paid"]);
});

test("symbols, class names, ids, comments and non-visible attributes are not findings", () => {
  const source = `
    //! A doc comment with "quoted words".
    /* a block comment .text("Hello") */
    fn page() -> El {
        el("p").class("notice notice--error").id("main").attr("role", "alert").attr("href", "/vouchers")
            .attr("aria-hidden", "true").text(" · ").text(" — ").text(&format!("{} – {}", a, b))
            .child(text_el("span", "✓")).text(&format!("{}: {}", a, b))
            .attr("aria-label", &tr_in!(locale, stepper_label))
            .child(el("option").attr("value", "en").attr("lang", "en"))
            .text(&user.display_name);
        let c = '"'; let s: &'static str = r#"raw "text" in a raw string"#;
        view! { <span aria-hidden="true">"✓"</span> " " {tr!(action_open)} }
        view! { <Route path=path!("/vouchers/:id") view=VoucherPage /> }
    }`;
  assert.deepEqual(texts(source), []);
  assert.equal(isAllowed("{} %"), true);
  assert.equal(isAllowed("3 days"), false);
});

const files = [...rustFiles(path.join(root, "src")), ...rustFiles(path.join(root, "widget/src"))]
  .map((file) => path.relative(root, file))
  .filter((file) => !WORD_TABLES.has(file));

test("the scan looks at the app's and the widget's text sinks", () => {
  let sinks = 0;
  for (const file of files) sinks += scanSource(fs.readFileSync(path.join(root, file), "utf8")).sinks;
  // Hundreds of places put text on the page; a scanner that finds none is broken.
  assert.ok(files.length >= 30, `only ${files.length} files`);
  assert.ok(sinks > 300, `only ${sinks} text sinks found`);
});

for (const file of files) {
  test(`${file} has no hard-coded user-visible text`, () => {
    const { findings } = scanSource(fs.readFileSync(path.join(root, file), "utf8"));
    const report = findings.map((finding) => `${file}:${finding.line} ${finding.where} ${JSON.stringify(finding.text)}`);
    assert.deepEqual(report, [], "put these words in locales/en.json and locales/ko.json and use tr!/tr_in!");
  });
}
