//! "Show this on another website": creates a scoped, read-only, expiring embed token for one
//! voucher or the partner's own eligibility badge, shows the snippet to paste (once: only the
//! token's hash is kept), lists the tokens for the same subject and revokes them.

use leptos::prelude::*;
use planning_domain::api::embed::{CreateEmbedToken, EmbedTarget, EmbedToken, EmbedTokenState};
use planning_domain::embed::{check_allowed_origins, check_token_life};
use planning_domain::parse::parse_date;
use planning_domain::Localize;

use crate::api::{self, ApiError};
use crate::components::form_field::Field;
use crate::components::notice::error_notice;
use crate::dom::{button, div, el, text_el, tr_el, El};
use crate::format::short_date;
use crate::loader::load;
use crate::state::locale::{text_opt, use_domain_locale};

/// Origins as typed: separated by commas, spaces or new lines.
fn origins(value: &str) -> Vec<String> {
    value.split([',', ' ', '\n']).map(str::trim).filter(|origin| !origin.is_empty()).map(str::to_owned).collect()
}

/// A token's expiry (an RFC 3339 time) as a date in the reader's language.
fn expiry_date(expires_at: &str, locale: planning_domain::Locale) -> String {
    let day = expires_at.get(..10).unwrap_or_default();
    parse_date(day).map_or_else(|_| day.to_owned(), |date| short_date(date, locale))
}

pub fn embed_panel(target: EmbedTarget) -> El {
    let locale = use_domain_locale();
    let tokens = load(api::embed_tokens);
    let allowed = RwSignal::new(String::new());
    let days = RwSignal::new("90".to_owned());
    let tried = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let snippet = RwSignal::new(None::<String>);
    let target = StoredValue::new(target);

    let origins_error = text_opt(move |locale| {
        let server = failure.with(|failure| failure.as_ref()?.field_message("allowed_origins", locale));
        if !tried.get() {
            return server;
        }
        check_allowed_origins(&origins(&allowed.get())).err().map(|error| error.message(locale)).or(server)
    });
    let days_error = text_opt(move |locale| {
        if !tried.get() {
            return None;
        }
        match days.get().trim().parse::<u32>() {
            Ok(days) => check_token_life(days).err().map(|error| error.message(locale)),
            Err(_) => Some(tr_in!(locale, whole_days_required).to_owned()),
        }
    });
    let create = move || {
        tried.set(true);
        failure.set(None);
        if pending.get_untracked() || origins_error.get_untracked().is_some() || days_error.get_untracked().is_some() {
            return;
        }
        let body = CreateEmbedToken {
            target: target.get_value(),
            allowed_origins: origins(&allowed.get_untracked()),
            expires_in_days: days.get_untracked().trim().parse().unwrap_or(90),
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::create_embed_token(&body).await {
                Ok(created) => snippet.set(Some(created.snippet)),
                Err(error) => failure.set(Some(error)),
            }
            pending.set(false);
            tokens.reload();
        });
    };
    let copy = move || {
        if let (Some(text), Some(window)) = (snippet.get_untracked(), web_sys::window()) {
            let _ = window.navigator().clipboard().write_text(&text);
        }
    };
    let list = move || {
        let locale = locale.get();
        let subject = target.get_value();
        tokens
            .data
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|token: &EmbedToken| token.target == subject)
            .map(|token| {
                let id = token.id;
                let state = match token.state {
                    EmbedTokenState::Active => tr_in!(locale, token_active),
                    EmbedTokenState::Expired => tr_in!(locale, token_expired),
                    EmbedTokenState::Revoked => tr_in!(locale, token_revoked),
                };
                el("li")
                    .class("offering-row")
                    .child(
                        div("offering-row__text")
                            .child(text_el("span", state).class("status"))
                            .child(text_el("span", &token.allowed_origins.join(", ")))
                            .child(
                                text_el(
                                    "span",
                                    &tr_in!(locale, token_expires, &expiry_date(&token.expires_at, locale)),
                                )
                                .class("muted"),
                            ),
                    )
                    .maybe((token.state == EmbedTokenState::Active).then(|| {
                        button("button button--small", tr!(revoke)).on_click(move || {
                            leptos::task::spawn_local(async move {
                                if let Err(error) = api::revoke_embed_token(id).await {
                                    failure.set(Some(error));
                                }
                                tokens.reload();
                            });
                        })
                    }))
            })
            .collect()
    };

    el("section")
        .class("card form")
        .attr("aria-labelledby", "embed-title")
        .child(tr_el("h2", tr!(embed_title)).id("embed-title"))
        .child(tr_el("p", tr!(embed_intro)).class("muted"))
        .child(error_notice(failure.into()))
        .child(
            Field::new("embed-origins", tr!(embed_origins_label))
                .hint(tr!(embed_origins_hint))
                .input(allowed, origins_error),
        )
        .child(Field::new("embed-days", tr!(embed_days_label)).kind("number").input(days, days_error))
        .child(button("button", tr!(create_embed)).flag_signal("disabled", pending.into()).on_click(create))
        .child(
            div("field")
                .visible(Signal::derive(move || snippet.with(Option::is_some)))
                .child(el("label").attr("for", "embed-snippet").tr(tr!(embed_snippet_label)))
                .child(tr_el("p", tr!(embed_snippet_once)).class("field__hint"))
                .child(
                    el("textarea")
                        .id("embed-snippet")
                        .attr("rows", "4")
                        .attr("readonly", "")
                        .class("snippet")
                        .text_signal(Signal::derive(move || snippet.get().unwrap_or_default())),
                )
                .child(button("button", tr!(copy_snippet)).on_click(copy)),
        )
        .child(el("ul").class("plain-list").dynamic_children(list))
}
