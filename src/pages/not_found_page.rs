//! Any path the router does not know.

use crate::dom::{div, el, tr_el, El};

pub fn not_found_page() -> El {
    div("not-found")
        .child(tr_el("h1", tr!(not_found_title)))
        .child(tr_el("p", tr!(not_found_body)))
        .child(el("p").child(el("a").attr("href", "/").class("button").tr(tr!(not_found_home))))
}
