//! The embeddable widget: `<planning-widget>` renders a voucher status card or a partner's
//! eligibility badge into its shadow root, from the portal's token-authenticated embed API.
//!
//! `loader.js` defines the custom element and calls [`render`] with the element and its shadow
//! root whenever the element connects or an attribute changes. Everything shown comes from the
//! domain crate: the server computes the card (steps, countdowns) and the badge with the
//! domain's rules; the widget renders them in the words of the domain's `Localize`
//! implementations, and its own few words from `text.rs`. Plain DOM building, no UI framework,
//! keeps the bundle small. Any failure ends as a short message inside the widget, never as an
//! exception on the host page.

mod dom;
mod text;

use planning_domain::api::embed::{embed_partner_path, embed_voucher_path, EmbedEligibilityBadge, EmbedVoucherCard};
use planning_domain::embed::{StepState, WorkflowStep};
use planning_domain::parse::{format_date, format_deadline};
use planning_domain::{ErrorCode, ErrorView, Locale, Localize, VoucherStatus};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, ShadowRoot};

use crate::dom::Dom;
use crate::text::Text;

/// The widget's stylesheet (see the file's header for how it isolates itself).
const STYLE: &str = include_str!("style.css");

/// What the element asks for, read from its attributes.
enum Subject {
    Voucher(String),
    Partner(String),
}

/// Renders the element's widget into `root`, replacing what was there. Never throws.
#[wasm_bindgen]
pub fn render(host: HtmlElement, root: ShadowRoot) {
    let locale = Locale::from_tag(&host.get_attribute("lang").unwrap_or_default());
    let Some(dom) = Dom::new() else { return };
    adopt_style(&root);
    let container = dom.element("div", "pw");
    container.set_attribute("lang", locale.tag()).ok();
    let loading = dom.text_element("p", "notice", &Text::Loading.get(locale));
    loading.set_attribute("role", "status").ok();
    container.append_child(&loading).ok();
    root.replace_children_with_node_1(&container);

    let request = match read_attributes(&host) {
        Ok(request) => request,
        Err(text) => return show_error(&dom, &container, &text.get(locale)),
    };
    wasm_bindgen_futures::spawn_local(async move {
        let (api, token, subject) = request;
        let path = match &subject {
            Subject::Voucher(id) => embed_voucher_path(&String::from(js_sys::encode_uri_component(id))),
            Subject::Partner(id) => embed_partner_path_text(id),
        };
        let answer = fetch_text(&format!("{}{path}", api.trim_end_matches('/')), &token).await;
        // A newer render replaced this one while the request was in flight.
        if !container.is_connected() {
            return;
        }
        container.replace_children_with_node_0();
        let (status, body) = match answer {
            Ok(answer) => answer,
            Err(()) => return show_error(&dom, &container, &Text::Unreachable.get(locale)),
        };
        if !(200..300).contains(&status) {
            let message = serde_json::from_str::<ErrorView>(&body)
                .map(|view| view.localized(locale).to_owned())
                .unwrap_or_else(|_| ErrorView::new(code_of(status)).localized(locale).to_owned());
            return show_error(&dom, &container, &message);
        }
        let shown = match subject {
            Subject::Voucher(_) => serde_json::from_str::<EmbedVoucherCard>(&body)
                .map(|card| voucher_card(&dom, &container, &card, locale)),
            Subject::Partner(_) => serde_json::from_str::<EmbedEligibilityBadge>(&body)
                .map(|badge| eligibility_badge(&dom, &container, &badge, locale)),
        };
        if shown.is_err() {
            show_error(&dom, &container, &Text::UnreadableAnswer.get(locale));
        }
    });
}

/// The partner path for the `partner` attribute; a non-number still makes a request, which the
/// server answers with its "not this token's subject" message.
fn embed_partner_path_text(id: &str) -> String {
    match id.trim().parse::<i64>() {
        Ok(number) => embed_partner_path(number),
        Err(_) => embed_partner_path(0),
    }
}

/// (api origin, token, subject), or the message for the first missing attribute.
fn read_attributes(host: &HtmlElement) -> Result<(String, String, Subject), Text<'static>> {
    let attribute = |name: &'static str| {
        host.get_attribute(name).filter(|value| !value.trim().is_empty()).ok_or(Text::MissingAttribute(name))
    };
    let subject = match host.get_attribute("kind").as_deref() {
        Some("voucher") => Subject::Voucher(attribute("voucher")?.trim().to_owned()),
        Some("eligibility") => Subject::Partner(attribute("partner")?),
        None => return Err(Text::MissingAttribute("kind")),
        Some(_) => return Err(Text::UnknownKind),
    };
    Ok((attribute("api")?, attribute("token")?.trim().to_owned(), subject))
}

/// The status and body of `GET url` with the token; `Err` when no answer could be read.
async fn fetch_text(url: &str, token: &str) -> Result<(u16, String), ()> {
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(web_sys::RequestMode::Cors);
    // The embed API takes the token only; the portal's session cookie must never ride along.
    init.set_credentials(web_sys::RequestCredentials::Omit);
    let headers = web_sys::Headers::new().map_err(drop)?;
    headers.set("authorization", &format!("Bearer {token}")).map_err(drop)?;
    headers.set("accept", "application/json").map_err(drop)?;
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(drop)?;
    let window = web_sys::window().ok_or(())?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(drop)?.dyn_into().map_err(drop)?;
    let body = JsFuture::from(response.text().map_err(drop)?).await.map_err(drop)?;
    Ok((response.status(), body.as_string().unwrap_or_default()))
}

/// The code a bare status stands for, when the body is not an error body.
fn code_of(status: u16) -> ErrorCode {
    match status {
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    }
}

/// One stylesheet per shadow root, adopted rather than inlined, so a host page's CSP that
/// forbids inline styles does not strip it.
fn adopt_style(root: &ShadowRoot) {
    let already = js_sys::Reflect::get(root, &"adoptedStyleSheets".into())
        .ok()
        .and_then(|sheets| sheets.dyn_into::<js_sys::Array>().ok())
        .is_some_and(|sheets| sheets.length() > 0);
    if already {
        return;
    }
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        if sheet.replace_sync(STYLE).is_ok() {
            js_sys::Reflect::set(root, &"adoptedStyleSheets".into(), &js_sys::Array::of1(&sheet)).ok();
        }
    }
}

fn show_error(dom: &Dom, container: &Element, message: &str) {
    container.replace_children_with_node_0();
    let notice = dom.text_element("p", "notice error", message);
    notice.set_attribute("role", "alert").ok();
    container.append_child(&notice).ok();
}

fn status_class(status: VoucherStatus) -> &'static str {
    match status {
        VoucherStatus::Paid | VoucherStatus::Redeemed | VoucherStatus::Claimed => "status ok",
        VoucherStatus::Expired => "status bad",
        VoucherStatus::Assigned | VoucherStatus::Reserved => "status",
    }
}

fn voucher_card(dom: &Dom, container: &Element, card: &EmbedVoucherCard, locale: Locale) {
    let title = Text::VoucherTitle(&card.voucher_id).get(locale);
    let section = dom.child(container, "section", "card");
    section.set_attribute("aria-label", &title).ok();
    let head = dom.child(&section, "div", "head");
    dom.text_child(&head, "h2", "", &title);
    let status = dom.text_child(&head, "p", status_class(card.status), &card.status.message(locale));
    status.set_attribute("role", "status").ok();
    let mut meta =
        format!("{} · {}", card.offering.message(locale), Text::ServiceDays(card.service_level_days).get(locale));
    if let Some(engagement) = card.engagement {
        meta = format!("{meta} · {}", engagement.message(locale));
    }
    dom.text_child(&section, "p", "meta", &meta);
    let mut parties = card.customer_name.clone();
    if let Some(partner) = &card.partner_name {
        parties = format!("{parties} · {}", Text::ReservedBy(partner).get(locale));
    }
    dom.text_child(&section, "p", "meta", &parties);

    let progress = Text::Progress.get(locale);
    dom.text_child(&section, "h3", "", &progress);
    let steps = dom.child(&section, "ol", "steps");
    steps.set_attribute("aria-label", &progress).ok();
    for step in &card.steps {
        let (class, mark) = match step.state {
            StepState::Done => ("done", "✓"),
            StepState::Current => ("current", "●"),
            StepState::Upcoming => ("upcoming", ""),
            StepState::Missed => ("missed", "✕"),
        };
        let item = dom.child(&steps, "li", class);
        if step.state == StepState::Current {
            item.set_attribute("aria-current", "step").ok();
        }
        let mark_element = dom.text_child(&item, "span", "mark", mark);
        mark_element.set_attribute("aria-hidden", "true").ok();
        let label = step_label(step.step, locale);
        let text = dom.text_child(&item, "span", "", &label);
        dom.text_child(&text, "span", "sr", &format!(" ({})", step.state.message(locale)));
    }

    if !card.deadlines.is_empty() {
        let heading = Text::Deadlines.get(locale);
        dom.text_child(&section, "h3", "", &heading);
        let list = dom.child(&section, "dl", "deadlines");
        list.set_attribute("aria-label", &heading).ok();
        for deadline in &card.deadlines {
            let row = dom.child(&list, "div", "");
            dom.text_child(&row, "dt", "", &deadline.kind.message(locale));
            let value = dom.child(&row, "dd", if deadline.days_left < 0 { "passed" } else { "" });
            let time = dom.text_child(&value, "time", "", &format_deadline(deadline.date, locale));
            time.set_attribute("datetime", &deadline.date.to_string()).ok();
            dom.append_text(&value, " · ");
            dom.text_child(&value, "strong", "", &deadline.message(locale));
        }
    }
}

fn step_label(step: WorkflowStep, locale: Locale) -> String {
    format!("{}. {}", step.number(), step.message(locale))
}

fn eligibility_badge(dom: &Dom, container: &Element, badge: &EmbedEligibilityBadge, locale: Locale) {
    let title = Text::EligibilityTitle.get(locale);
    let section = dom.child(container, "section", "badge");
    section.set_attribute("aria-label", &format!("{title}: {}", badge.partner_name)).ok();
    dom.text_child(&section, "h2", "", &badge.partner_name);
    let date = format_date(badge.evaluated_on, locale);
    dom.text_child(&section, "p", "meta", &format!("{title} · {}", Text::EvaluatedOn(&date).get(locale)));
    let offerings_label = Text::Offerings.get(locale);
    let offerings = dom.child(&section, "ul", "offerings");
    offerings.set_attribute("aria-label", &offerings_label).ok();
    for offering in &badge.offerings {
        let item = dom.child(&offerings, "li", "offering");
        let name = offering.offering.message(locale);
        let head = dom.child(&item, "div", "head");
        dom.text_child(&head, "h3", "", &name);
        let active = offering.status == planning_domain::eligibility::EligibilityStatus::Active;
        dom.text_child(&head, "span", if active { "status ok" } else { "status" }, &offering.status.message(locale));
        let checks = dom.child(&item, "ul", "checks");
        checks.set_attribute("aria-label", &name).ok();
        for engagement in &offering.engagements {
            let row = dom.child(&checks, "li", if engagement.eligible { "done" } else { "no" });
            let mark = dom.text_child(&row, "span", "mark", if engagement.eligible { "✓" } else { "–" });
            mark.set_attribute("aria-hidden", "true").ok();
            let text = dom.text_child(&row, "span", "", &engagement.engagement.message(locale));
            let state = if engagement.eligible { Text::Eligible } else { Text::NotEligible };
            dom.text_child(&text, "span", "sr", &format!(" ({})", state.get(locale)));
        }
    }
}
