//! `/inbox`: the reader's notifications, newest first; opening one marks it read.

use leptos::prelude::*;

use planning_domain::parse::parse_date;

use crate::api;
use crate::components::notice::error_notice;
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{button, el, group, text_el, tr_el, El};
use crate::format::long_date;
use crate::loader::load;
use crate::state::locale::use_domain_locale;
use crate::state::session::EVERY_ROLE;

pub fn inbox_page() -> El {
    require_sign_in(EVERY_ROLE, inbox)
}

fn inbox() -> El {
    let locale = use_domain_locale();
    let lines = load(api::inbox);
    let items = move || {
        let locale = locale.get();
        lines
            .data
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|line| {
                let id = line.id;
                let day = line.created_at.get(..10).unwrap_or_default();
                let date = parse_date(day).map_or_else(|_| day.to_owned(), |date| long_date(date, locale));
                el("li")
                    .class(if line.read { "inbox-item" } else { "inbox-item inbox-item--unread" })
                    .child(
                        text_el(
                            "span",
                            if line.read { tr_in!(locale, read_label) } else { tr_in!(locale, unread_label) },
                        )
                        .class("status"),
                    )
                    .text(" ")
                    .child(el("time").attr("datetime", &line.created_at).text(&date))
                    .child(text_el("p", line.messages.get(locale)))
                    .maybe((!line.read).then(|| {
                        button("button button--small", tr!(mark_read)).on_click(move || {
                            leptos::task::spawn_local(async move {
                                let _ = api::mark_read(id).await;
                                lines.reload();
                            });
                        })
                    }))
            })
            .collect()
    };
    group(vec![
        tr_el("h1", tr!(inbox_title)),
        error_notice(lines.error.into()),
        el("ol").class("inbox").dynamic_children(items),
        tr_el("p", tr!(inbox_empty))
            .class("empty")
            .visible(Signal::derive(move || lines.data.with(|data| data.as_ref().is_some_and(Vec::is_empty)))),
    ])
}
