//! Generates the `i18n` module from `locales/*.json` (leptos_i18n), so a missing or misspelt
//! translation key is a compile error.

use std::path::PathBuf;

use leptos_i18n_build::{Config, TranslationsInfos};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let config = Config::new("en")?.add_locale("ko")?;
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}
