//! `/inbox`: the reader's notifications, newest first; opening one marks it read.

use leptos::prelude::*;

use planning_domain::parse::parse_date;

use crate::api;
use crate::components::notice::ErrorNotice;
use crate::components::require_sign_in::RequireSignIn;
use crate::format::long_date;
use crate::state::locale::use_domain_locale;
use crate::state::resource::{failure_of, last_answer};
use crate::state::session::EVERY_ROLE;

#[component]
pub fn InboxPage() -> impl IntoView {
    view! {
        <RequireSignIn roles=EVERY_ROLE>
            <Inbox />
        </RequireSignIn>
    }
}

#[component]
fn Inbox() -> impl IntoView {
    let locale = use_domain_locale();
    let resource = LocalResource::new(api::inbox);
    // The last list received stays on screen while it is asked again, and after a failure.
    let lines = last_answer(resource);
    let error = failure_of(resource);
    // A plain task, not an `Action` (whose machinery costs kilobytes of wasm per use).
    let mark_read = move |id: i64| {
        leptos::task::spawn_local(async move {
            let _ = api::mark_read(id).await;
            resource.refetch();
        });
    };
    let items = move || {
        let locale = locale.get();
        lines.with(|lines| {
            lines
                .iter()
                .flatten()
                .map(|line| {
                    let id = line.id;
                    let day = line.created_at.get(..10).unwrap_or_default();
                    let date = parse_date(day).map_or_else(|_| day.to_owned(), |date| long_date(date, locale));
                    let (class, state) = if line.read {
                        ("inbox-item", tr_in!(locale, read_label))
                    } else {
                        ("inbox-item inbox-item--unread", tr_in!(locale, unread_label))
                    };
                    let mark = (!line.read).then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button--small"
                                on:click=move |_| {
                                    mark_read(id);
                                }
                            >
                                {tr!(mark_read)}
                            </button>
                        }
                    });
                    view! {
                        <li class=class>
                            <span class="status">{state}</span>
                            " "
                            <time datetime=line.created_at.clone()>{date}</time>
                            <p>{line.messages.get(locale).to_owned()}</p>
                            {mark}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let empty = move || lines.with(|lines| lines.as_ref().is_some_and(Vec::is_empty));
    view! {
        <div class="group">
            <h1>{tr!(inbox_title)}</h1>
            <ErrorNotice error />
            <ol class="inbox">{items}</ol>
            <p class="empty" hidden=move || !empty()>
                {tr!(inbox_empty)}
            </p>
        </div>
    }
}
