//! "Show this on another website": creates a scoped, read-only, expiring embed token for one
//! voucher or the partner's own eligibility badge, shows the snippet to paste (once: only the
//! token's hash is kept), lists the tokens for the same subject and revokes them.

use leptos::prelude::*;
use planning_domain::api::embed::{CreateEmbedToken, EmbedTarget, EmbedTokenState};
use planning_domain::embed::{check_allowed_origins, check_token_life};
use planning_domain::parse::parse_date;
use planning_domain::Localize;

use crate::api::{self, ApiError};
use crate::components::form_field::InputField;
use crate::components::notice::ErrorNotice;
use crate::format::short_date;
use crate::state::locale::{text_opt, use_domain_locale};
use crate::state::resource::last_answer;
use crate::state::resource::submit;

/// Origins as typed: separated by commas, spaces or new lines.
fn origins(value: &str) -> Vec<String> {
    value.split([',', ' ', '\n']).map(str::trim).filter(|origin| !origin.is_empty()).map(str::to_owned).collect()
}

/// A token's expiry (an RFC 3339 time) as a date in the reader's language.
fn expiry_date(expires_at: &str, locale: planning_domain::Locale) -> String {
    let day = expires_at.get(..10).unwrap_or_default();
    parse_date(day).map_or_else(|_| day.to_owned(), |date| short_date(date, locale))
}

/// The panel for one subject: a voucher, or the partner's eligibility badge.
#[component]
pub fn EmbedPanel(target: EmbedTarget) -> impl IntoView {
    let locale = use_domain_locale();
    let tokens = LocalResource::new(api::embed_tokens);
    // The last list received stays on screen while it is asked again, and after a failure.
    let listed = last_answer(tokens);
    let allowed = RwSignal::new(String::new());
    let days = RwSignal::new("90".to_owned());
    let tried = RwSignal::new(false);
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
    let pending = RwSignal::new(false);
    let send = move |body: CreateEmbedToken| {
        submit(
            pending,
            Box::pin(async move {
                match api::create_embed_token(&body).await {
                    Ok(created) => snippet.set(Some(created.snippet)),
                    Err(error) => failure.set(Some(error)),
                }
                tokens.refetch();
            }),
        );
    };
    let create = move |_| {
        tried.set(true);
        failure.set(None);
        if pending.get_untracked() || origins_error.get_untracked().is_some() || days_error.get_untracked().is_some() {
            return;
        }
        send(CreateEmbedToken {
            target: target.get_value(),
            allowed_origins: origins(&allowed.get_untracked()),
            expires_in_days: days.get_untracked().trim().parse().unwrap_or(90),
        });
    };
    let revoke = move |id: i64| {
        leptos::task::spawn_local(async move {
            if let Err(error) = api::revoke_embed_token(id).await {
                failure.set(Some(error));
            }
            tokens.refetch();
        });
    };
    let copy = move |_| {
        if let (Some(text), Some(window)) = (snippet.get_untracked(), web_sys::window()) {
            let _ = window.navigator().clipboard().write_text(&text);
        }
    };
    let list = move || {
        let locale = locale.get();
        listed.with(|tokens| {
            target.with_value(|subject| {
                tokens
                    .iter()
                    .flatten()
                    .filter(|token| token.target == *subject)
                    .map(|token| {
                        let id = token.id;
                        let state = match token.state {
                            EmbedTokenState::Active => tr_in!(locale, token_active),
                            EmbedTokenState::Expired => tr_in!(locale, token_expired),
                            EmbedTokenState::Revoked => tr_in!(locale, token_revoked),
                        };
                        let revoke_button = (token.state == EmbedTokenState::Active).then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button button--small"
                                    on:click=move |_| {
                                        revoke(id);
                                    }
                                >
                                    {tr!(revoke)}
                                </button>
                            }
                        });
                        view! {
                            <li class="offering-row">
                                <div class="offering-row__text">
                                    <span class="status">{state}</span>
                                    <span>{token.allowed_origins.join(", ")}</span>
                                    <span class="muted">
                                        {tr_in!(locale, token_expires, &expiry_date(&token.expires_at, locale))}
                                    </span>
                                </div>
                                {revoke_button}
                            </li>
                        }
                    })
                    .collect_view()
            })
        })
    };

    view! {
        <section class="card form" aria-labelledby="embed-title">
            <h2 id="embed-title">{tr!(embed_title)}</h2>
            <p class="muted">{tr!(embed_intro)}</p>
            <ErrorNotice error=failure />
            <InputField
                id="embed-origins"
                label=tr!(embed_origins_label)
                hint=tr!(embed_origins_hint)
                value=allowed
                error=origins_error
            />
            <InputField id="embed-days" label=tr!(embed_days_label) kind="number" value=days error=days_error />
            <button type="button" class="button" disabled=move || pending.get() on:click=create>
                {tr!(create_embed)}
            </button>
            <div class="field" hidden=move || snippet.with(Option::is_none)>
                <label for="embed-snippet">{tr!(embed_snippet_label)}</label>
                <p class="field__hint">{tr!(embed_snippet_once)}</p>
                <textarea id="embed-snippet" rows="4" readonly class="snippet">
                    {move || snippet.get().unwrap_or_default()}
                </textarea>
                <button type="button" class="button" on:click=copy>
                    {tr!(copy_snippet)}
                </button>
            </div>
            <ul class="plain-list">{list}</ul>
        </section>
    }
    .into_any()
}
