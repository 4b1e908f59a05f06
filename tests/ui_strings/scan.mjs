// Finds user-visible text hard-coded in the app's and the widget's Rust sources.
//
// UI text must come from locales/*.json (`tr!`, `tr_in!`) or from the domain crate's `Localize`
// messages, so that every word exists in English and Korean. This scanner lexes the Rust
// sources (comments, strings, raw strings, char literals and lifetimes told apart) and looks at
// every string literal inside the arguments that reach the DOM as text or as a user-visible
// attribute: the DOM builder's `.text(…)`, `text_el(_, …)`, `.attr("aria-label", …)` and the
// like (src/dom.rs), the widget's `text_element(_, _, …)` (widget/src/dom.rs), and `view!` text
// nodes and attributes. A literal there may only hold the symbols of ALLOWED_SYMBOLS (with
// `format!` placeholders removed): a word in it is a finding.
import * as fs from "fs";
import * as path from "path";

/** Attributes whose value a person reads or hears. */
export const VISIBLE_ATTRIBUTES = new Set([
  "aria-label",
  "aria-description",
  "aria-roledescription",
  "aria-valuetext",
  "aria-placeholder",
  "title",
  "placeholder",
  "alt",
  "label",
]);

/**
 * The only characters a literal in a text sink may hold: spacing, digits, punctuation and
 * symbols that read the same in every language. Everything else (any letter) must be translated.
 */
export const ALLOWED_SYMBOLS = /^[\s0-9.,:;!?'"()[\]/\\%+\-–—·•…✓✗✕×=#*|<>]*$/u;

/**
 * Calls whose argument `index` (0-based) is shown as text. `method` says whether the call is
 * `.name(…)` (true), a free function `name(…)` (false), or either (undefined).
 */
const TEXT_SINKS = [
  { name: "text", method: true, index: 0 },
  { name: "tr", method: true, index: 0 },
  { name: "text_signal", method: true, index: 0 },
  { name: "text_el", method: false, index: 1 },
  { name: "tr_el", method: false, index: 1 },
  { name: "link", method: false, index: 1 },
  { name: "button", method: false, index: 1 },
  { name: "span", method: false, index: 0 },
  { name: "set_text_content", method: true, index: 0 },
  { name: "set_inner_text", method: true, index: 0 },
  { name: "append_with_str_1", method: true, index: 0 },
  { name: "create_text_node", method: true, index: 0 },
  // The widget's DOM helpers (widget/src/dom.rs).
  { name: "text_element", method: true, index: 2 },
  { name: "text_child", method: true, index: 3 },
  { name: "append_text", method: true, index: 1 },
];
/** Calls `name(attribute, value)`: the value is checked when the attribute is a visible one. */
const ATTRIBUTE_SINKS = new Set(["attr", "attr_tr", "attr_signal", "set_attribute"]);

/** Splits Rust source into tokens: {kind: "str"|"ident"|"punct", value, line}. */
export function lex(source) {
  const tokens = [];
  let i = 0;
  let line = 1;
  const n = source.length;
  const advance = (to) => {
    for (let k = i; k < to; k++) if (source[k] === "\n") line++;
    i = to;
  };
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      advance(end === -1 ? n : end);
    } else if (c === "/" && next === "*") {
      let depth = 1;
      let k = i + 2;
      while (k < n && depth > 0) {
        if (source[k] === "/" && source[k + 1] === "*") (depth++, (k += 2));
        else if (source[k] === "*" && source[k + 1] === "/") (depth--, (k += 2));
        else k++;
      }
      advance(k);
    } else if (/[rb]/.test(c) && /^(br|r)#*"/.test(source.slice(i, i + 40)) && !/\w/.test(source[i - 1] ?? "")) {
      // Raw strings r"…", r#"…"#, br"…".
      const head = /^(br|r)(#*)"/.exec(source.slice(i));
      const closing = '"' + head[2];
      const start = i + head[0].length;
      const end = source.indexOf(closing, start);
      const startLine = line;
      tokens.push({ kind: "str", value: source.slice(start, end), line: startLine });
      advance(end + closing.length);
    } else if (c === '"' || (c === "b" && next === '"' && !/\w/.test(source[i - 1] ?? ""))) {
      let k = c === "b" ? i + 2 : i + 1;
      let value = "";
      while (k < n && source[k] !== '"') {
        if (source[k] === "\\") {
          const escaped = source[k + 1];
          value += escaped === "n" ? "\n" : escaped === "t" ? "\t" : escaped === "\n" ? "" : escaped;
          k += 2;
          if (escaped === "\n") while (/\s/.test(source[k])) k++;
        } else value += source[k++];
      }
      tokens.push({ kind: "str", value, line });
      advance(k + 1);
    } else if (c === "'") {
      // A char literal ('a', '\n', '\'', '\u{1F600}') or a lifetime ('static, 'a).
      const char = /^'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'/u.exec(source.slice(i));
      if (char) {
        tokens.push({ kind: "punct", value: "char", line });
        advance(i + char[0].length);
      } else {
        const lifetime = /^'\w+/.exec(source.slice(i));
        advance(i + (lifetime ? lifetime[0].length : 1));
      }
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))[0];
      tokens.push({ kind: "ident", value: word, line });
      advance(i + word.length);
    } else if (/\s/.test(c)) {
      advance(i + 1);
    } else if (/[0-9]/.test(c)) {
      const number = /^[0-9][0-9A-Za-z_.]*/.exec(source.slice(i))[0];
      advance(i + number.length);
    } else {
      tokens.push({ kind: "punct", value: c, line });
      advance(i + 1);
    }
  }
  return tokens;
}

const OPEN = { "(": ")", "[": "]", "{": "}" };

/** The index of the token closing the bracket opened at `open`. */
function closing(tokens, open) {
  const stack = [];
  for (let k = open; k < tokens.length; k++) {
    const token = tokens[k];
    if (token.kind !== "punct") continue;
    if (OPEN[token.value]) stack.push(OPEN[token.value]);
    else if (token.value === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return k;
    }
  }
  return tokens.length - 1;
}

/** The top-level arguments of the call whose `(` is at `open`, as [start, end) token ranges. */
function argumentsOf(tokens, open) {
  const end = closing(tokens, open);
  const ranges = [];
  let depth = 0;
  let start = open + 1;
  for (let k = open + 1; k < end; k++) {
    const token = tokens[k];
    if (token.kind !== "punct") continue;
    if (OPEN[token.value]) depth++;
    else if (")]}".includes(token.value)) depth--;
    else if (token.value === "," && depth === 0) {
      ranges.push([start, k]);
      start = k + 1;
    }
  }
  if (start < end) ranges.push([start, end]);
  return ranges;
}

/** Whether a literal shown to a reader holds only allowed symbols (`format!` placeholders removed). */
export function isAllowed(literal) {
  const shown = literal.replace(/\{\{|\}\}/g, "").replace(/\{[^{}]*\}/g, "");
  return ALLOWED_SYMBOLS.test(shown);
}

/** Findings in one Rust source: {line, text, where}; `sinks` counts the places looked at. */
export function scanSource(source) {
  const tokens = lex(source);
  const findings = [];
  let sinks = 0;
  const check = (from, to, where) => {
    sinks++;
    for (let k = from; k < to; k++) {
      const token = tokens[k];
      if (token.kind === "str" && !isAllowed(token.value)) findings.push({ line: token.line, text: token.value, where });
    }
  };
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    if (token.kind !== "ident") continue;
    const isMethod = tokens[k - 1]?.value === ".";
    const next = tokens[k + 1];
    // view! { … }: text nodes, and the values of visible attributes.
    if (token.value === "view" && next?.value === "!" && OPEN[tokens[k + 2]?.value]) {
      const end = closing(tokens, k + 2);
      for (let m = k + 3; m < end; m++) {
        const literal = tokens[m];
        // A route's path (`path!("/vouchers/:id")`) is an address, not text on the page.
        if (literal.value === "path" && tokens[m + 1]?.value === "!" && tokens[m + 2]?.value === "(") {
          m = closing(tokens, m + 2);
          continue;
        }
        if (literal.kind !== "str") continue;
        sinks++;
        if (tokens[m - 1]?.value === "=") {
          // The attribute's name, put back together from `aria - label`.
          const parts = [];
          let p = m - 2;
          if (tokens[p]?.kind === "ident") {
            parts.unshift(tokens[p--].value);
            while (tokens[p]?.value === "-" && tokens[p - 1]?.kind === "ident") {
              parts.unshift(tokens[p - 1].value, "-");
              p -= 2;
            }
          }
          const name = parts.join("");
          if (VISIBLE_ATTRIBUTES.has(name) && !isAllowed(literal.value)) {
            findings.push({ line: literal.line, text: literal.value, where: `view! ${name}=` });
          }
        } else if (!isAllowed(literal.value)) {
          findings.push({ line: literal.line, text: literal.value, where: "view! text" });
        }
      }
      k = end;
      continue;
    }
    if (next?.value !== "(") continue;
    const args = () => argumentsOf(tokens, k + 1);
    for (const sink of TEXT_SINKS) {
      if (sink.name !== token.value || (sink.method !== undefined && sink.method !== isMethod)) continue;
      // A function's own definition (`fn text(…)`) is not a call.
      if (tokens[k - 1]?.value === "fn") continue;
      const range = args()[sink.index];
      if (range) check(range[0], range[1], `${token.value}(…)`);
    }
    if (ATTRIBUTE_SINKS.has(token.value) && isMethod && tokens[k - 1]?.value !== "fn") {
      const [name, value] = args();
      const nameToken = name && tokens[name[0]];
      if (value && nameToken?.kind === "str" && name[1] - name[0] === 1 && VISIBLE_ATTRIBUTES.has(nameToken.value)) {
        check(value[0], value[1], `${token.value}("${nameToken.value}", …)`);
      }
    }
  }
  return { findings, sinks };
}

/** Every `.rs` file under `directory`, sorted. */
export function rustFiles(directory) {
  const found = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...rustFiles(full));
    else if (entry.name.endsWith(".rs")) found.push(full);
  }
  return found.sort();
}
