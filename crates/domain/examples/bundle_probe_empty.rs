//! The baseline of the bundle-size probe: a wasm module with what the app has anyway (wasm-bindgen,
//! serde_json reading and writing JSON) but nothing of the domain crate.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn run(input: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(input).unwrap_or_default();
    format!("{}{}", serde_json::to_string(&value).unwrap_or_default(), input.len())
}
