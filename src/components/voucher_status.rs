//! A voucher's status as a badge (a word and a colour), in the reader's language.

use leptos::prelude::*;
use planning_domain::listing::status_key;
use planning_domain::{Localize, VoucherStatus};

/// `<span class="status status--reserved">Reserved</span>`, following the reader's language.
#[component]
pub fn VoucherStatusBadge(status: VoucherStatus) -> impl IntoView {
    let locale = crate::state::locale::use_domain_locale();
    let class = format!("status status--{}", status_key(status));
    view! { <span class=class>{move || status.message(locale.get())}</span> }
}
