//! Generates the `i18n` module from `locales/en.json` and `locales/ko.json`: one function per
//! key, so a misspelt key is a compile error, and the build fails when a key is missing from a
//! language, has a placeholder the other language lacks, or is empty.
//!
//! A string with `{{ name }}` placeholders becomes a function taking each name as `&str`, in the
//! order they first appear in the English text.
//!
//! This replaces `leptos_i18n`, which cost ~23 KiB gzip of wasm (ICU locale parsing, a context
//! provider, typed builders per key) for what is a lookup table here.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const LOCALES: [&str; 2] = ["en", "ko"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    // See crates/domain/build.rs: a build from another checkout of the shared target cache.
    println!("cargo::rerun-if-env-changed=PLANNING_CHECKOUT");
    let mut tables = Vec::new();
    for locale in LOCALES {
        let path = Path::new("locales").join(format!("{locale}.json"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)?;
        let table: BTreeMap<String, String> =
            serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
        tables.push(table);
    }
    let problems = check(&tables);
    if !problems.is_empty() {
        return Err(format!("translations are incomplete:\n  {}", problems.join("\n  ")).into());
    }
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    std::fs::write(out_dir.join("i18n.rs"), generate(&tables))?;
    Ok(())
}

fn placeholders(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else { break };
        let name = rest[start + 2..start + end].trim().to_owned();
        if !names.contains(&name) {
            names.push(name);
        }
        rest = &rest[start + end + 2..];
    }
    names
}

fn check(tables: &[BTreeMap<String, String>]) -> Vec<String> {
    let mut problems = Vec::new();
    let english = &tables[0];
    for (index, table) in tables.iter().enumerate() {
        let locale = LOCALES[index];
        for (key, text) in table {
            if text.trim().is_empty() {
                problems.push(format!("{locale}: `{key}` is empty"));
            }
            if !english.contains_key(key) {
                problems.push(format!("{locale}: `{key}` is not in en.json"));
            }
        }
        for (key, text) in english {
            match table.get(key) {
                None => problems.push(format!("{locale}: `{key}` is missing")),
                Some(translated) => {
                    let mut expected = placeholders(text);
                    let mut found = placeholders(translated);
                    expected.sort();
                    found.sort();
                    if expected != found {
                        problems
                            .push(format!("{locale}: `{key}` has placeholders {found:?}, English has {expected:?}"));
                    }
                }
            }
        }
    }
    problems
}

fn generate(tables: &[BTreeMap<String, String>]) -> String {
    let mut code = String::from(
        "/// The languages of the interface.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]\n\
         pub enum Locale {\n    #[default]\n    En,\n    Ko,\n}\n\n",
    );
    for (key, english) in &tables[0] {
        let names = placeholders(english);
        let arms: Vec<String> = tables.iter().map(|table| format!("{:?}", table[key])).collect();
        let _ = writeln!(code, "#[doc = {:?}]", english);
        if names.is_empty() {
            let _ = writeln!(
                code,
                "pub fn {key}(locale: Locale) -> &'static str {{\n    match locale {{\n        Locale::En => {},\n        Locale::Ko => {},\n    }}\n}}\n",
                arms[0], arms[1]
            );
        } else {
            let params: Vec<String> = names.iter().map(|name| format!("{name}: &str")).collect();
            let pairs: Vec<String> = names.iter().map(|name| format!("({name:?}, {name})")).collect();
            let _ = writeln!(
                code,
                "pub fn {key}(locale: Locale, {}) -> String {{\n    let template = match locale {{\n        Locale::En => {},\n        Locale::Ko => {},\n    }};\n    fill(template, &[{}])\n}}\n",
                params.join(", "),
                arms[0],
                arms[1],
                pairs.join(", ")
            );
        }
    }
    code
}
