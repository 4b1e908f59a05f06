//! `/vouchers/reserve`: steps 4 and 5 for an MPN Partner Admin. The voucher number and the
//! customer contact's email are validated first (a preview of what the voucher is), then the
//! engagement, location, consultant and schedule reserve it. Every value typed stays after any
//! error; the shared crate checks formats as the reader types, the server the rules.

use leptos::prelude::*;
use planning_domain::api::vouchers::{ReserveVoucher, ValidateVoucher, VoucherPreview};
use planning_domain::catalog::ENGAGEMENTS;
use planning_domain::parse::parse_date;
use planning_domain::{EmailAddress, ErrorCode, Localize, Role, VoucherError, VoucherId, VoucherStatus};

use crate::api::{self, ApiError};
use crate::components::form_field::{country_options, Field};
use crate::components::notice::error_notice;
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{div, el, group, text_el, tr_el, El};
use crate::format::{countdown, day_count, long_date};
use crate::loader::load;
use crate::state::locale::{text_opt, text_with, use_domain_locale};
use crate::state::program::use_program_date;
use crate::state::route::use_route;

pub fn reserve_page() -> El {
    require_sign_in(&[Role::MpnPartnerAdmin], reserve_form)
}

/// A form field's error: the shared crate's once the reader has tried, else the server's.
fn field_error(
    tried: RwSignal<bool>,
    value: RwSignal<String>,
    check: fn(&str, planning_domain::Locale) -> Option<String>,
    failure: RwSignal<Option<ApiError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    text_opt(move |locale| {
        let own = if tried.get() { check(&value.get(), locale) } else { None };
        own.or_else(|| failure.with(|failure| failure.as_ref()?.field_message(field, locale)))
    })
}

fn check_voucher_id(value: &str, locale: planning_domain::Locale) -> Option<String> {
    VoucherId::parse(value).err().map(|error| error.message(locale))
}

fn check_email(value: &str, locale: planning_domain::Locale) -> Option<String> {
    EmailAddress::parse(value).err().map(|error| error.message(locale))
}

fn check_date(value: &str, locale: planning_domain::Locale) -> Option<String> {
    parse_date(value).err().map(|error| error.message(locale))
}

fn check_chosen(value: &str, locale: planning_domain::Locale) -> Option<String> {
    value.is_empty().then(|| tr_in!(locale, choice_required).to_owned())
}

fn reserve_form() -> El {
    let locale = use_domain_locale();
    let today = use_program_date();
    let route = use_route();
    let program = load(api::get_partner_program);

    let voucher_id = RwSignal::new(route.query_param_untracked("voucher").unwrap_or_default());
    let email = RwSignal::new(String::new());
    let engagement = RwSignal::new(String::new());
    let location = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let consultant = RwSignal::new(String::new());
    let starts_on = RwSignal::new(String::new());
    let ends_on = RwSignal::new(String::new());
    let checked = RwSignal::new(false);
    let reserving = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let preview = RwSignal::new(None::<VoucherPreview>);

    let validate = move |id: String, address: String| {
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::validate_voucher(&id, &ValidateVoucher { voucher_admin_email: address }).await {
                Ok(found) => preview.set(Some(found)),
                Err(error) => {
                    preview.set(None);
                    failure.set(Some(error));
                }
            }
            pending.set(false);
        });
    };
    let on_validate = move || {
        checked.set(true);
        failure.set(None);
        let (Ok(id), Ok(address)) =
            (VoucherId::parse(&voucher_id.get_untracked()), EmailAddress::parse(&email.get_untracked()))
        else {
            return;
        };
        if !pending.get_untracked() {
            validate(id.as_str().to_owned(), address.as_str().to_owned());
        }
    };

    let on_reserve = move || {
        reserving.set(true);
        failure.set(None);
        let Some(found) = preview.get_untracked() else { return };
        let values = [&engagement, &location, &country, &consultant].map(|value| value.get_untracked());
        if pending.get_untracked()
            || values.iter().any(String::is_empty)
            || parse_date(&starts_on.get_untracked()).is_err()
            || parse_date(&ends_on.get_untracked()).is_err()
        {
            return;
        }
        let Some(chosen) = values[0].parse::<usize>().ok().and_then(|index| ENGAGEMENTS.get(index)) else { return };
        let body = ReserveVoucher {
            voucher_admin_email: email.get_untracked().trim().to_owned(),
            engagement: chosen.id,
            location_id: values[1].clone(),
            delivery_country: values[2].clone(),
            consultant_id: values[3].clone(),
            starts_on: starts_on.get_untracked(),
            ends_on: ends_on.get_untracked(),
            repeat_exception: None,
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::reserve_voucher(&found.voucher_id, &body).await {
                Ok(view) => route.navigate(&format!("/vouchers/{}?reserved=1", view.voucher.id.as_str())),
                Err(error) => {
                    pending.set(false);
                    // Lost to another partner (or changed meanwhile): show what the voucher is now.
                    let refresh = error.code() == Some(ErrorCode::Conflict);
                    failure.set(Some(error));
                    if refresh {
                        validate(found.voucher_id.clone(), body.voucher_admin_email.clone());
                    }
                }
            }
        });
    };

    // Choices: the offering's engagements, the partner's locations and consultants.
    let engagement_options = Signal::derive(move || {
        let locale = locale.get();
        let offering = preview.with(|found| found.as_ref().map(|found| found.offering));
        ENGAGEMENTS
            .iter()
            .enumerate()
            .filter(|(_, item)| Some(item.offering) == offering)
            .map(|(index, item)| (index.to_string(), item.id.message(locale)))
            .collect()
    });
    let partner = program.data;
    let location_options = Signal::derive(move || {
        partner.with(|partner| {
            partner
                .iter()
                .flat_map(|partner| partner.locations.iter())
                .map(|place| {
                    let label = format!("{} · {} ({})", place.location_id.as_str(), place.city, place.country.as_str());
                    (place.location_id.as_str().to_owned(), label)
                })
                .collect()
        })
    });
    let consultant_options = Signal::derive(move || {
        partner.with(|partner| {
            partner
                .iter()
                .flat_map(|partner| partner.consultants.iter())
                .map(|person| (person.consultant_id.to_string(), person.display_name.clone()))
                .collect()
        })
    });
    let country_options = country_options();

    let preview_card = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        preview.get().map(|found| {
            let fact = |term: String, detail: String| vec![text_el("dt", &term), text_el("dd", &detail)];
            let mut facts = Vec::new();
            facts.extend(fact(tr_in!(locale, column_voucher).to_owned(), found.voucher_id.clone()));
            facts.extend(fact(tr_in!(locale, column_customer).to_owned(), found.customer_name.clone()));
            facts.extend(fact(tr_in!(locale, column_offering).to_owned(), found.offering.message(locale)));
            facts.extend(fact(
                tr_in!(locale, service_level).to_owned(),
                day_count(u32::from(found.service_level_days), locale),
            ));
            facts.extend(fact(tr_in!(locale, column_status).to_owned(), found.status.message(locale)));
            facts.extend(fact(
                tr_in!(locale, column_expires).to_owned(),
                format!("{} ({})", long_date(found.expires_on, locale), countdown(today, found.expires_on, locale)),
            ));
            // A voucher that cannot be reserved says why, in the shared crate's words.
            let blocked = match found.status {
                VoucherStatus::Assigned => None,
                VoucherStatus::Expired => {
                    Some(VoucherError::VoucherExpired { expires_on: found.expires_on }.message(locale))
                }
                VoucherStatus::Reserved => Some(VoucherError::AlreadyReserved.message(locale)),
                _ => Some(tr_in!(locale, voucher_not_reservable).to_owned()),
            };
            el("section")
                .class("card preview")
                .attr("aria-labelledby", "preview-title")
                .child(text_el("h2", tr_in!(locale, voucher_preview_title)).id("preview-title"))
                .child(el("dl").class("facts").children(facts))
                .maybe(
                    blocked
                        .map(|reason| div("notice notice--error").attr("role", "alert").child(text_el("p", &reason))),
                )
        })
    };

    let required =
        |value: RwSignal<String>, field: &'static str| field_error(reserving, value, check_chosen, failure, field);
    let dated =
        |value: RwSignal<String>, field: &'static str| field_error(reserving, value, check_date, failure, field);
    let validate_form = el("form")
        .class("card form")
        .on_submit(on_validate)
        .child(tr_el("h2", tr!(reserve_step_validate)))
        .child(
            Field::new("voucher-id", tr!(voucher_number_label))
                .hint(tr!(voucher_number_hint))
                .input(voucher_id, field_error(checked, voucher_id, check_voucher_id, failure, "voucher_id")),
        )
        .child(
            Field::new("voucher-admin-email", tr!(customer_email_label))
                .kind("email")
                .hint(tr!(customer_email_hint))
                .input(email, field_error(checked, email, check_email, failure, "voucher_admin_email")),
        )
        .child(
            el("button")
                .attr("type", "submit")
                .class("button")
                .flag_signal("disabled", pending.into())
                .tr(tr!(validate_button)),
        );
    let schedule_form = el("form")
        .class("card form")
        .on_submit(on_reserve)
        .visible(Signal::derive(move || {
            preview.with(|found| found.as_ref().is_some_and(|found| found.status == VoucherStatus::Assigned))
        }))
        .child(tr_el("h2", tr!(reserve_step_schedule)))
        .child(Field::new("engagement", tr!(engagement_label)).select(
            engagement,
            tr!(choose_one),
            engagement_options,
            required(engagement, "engagement"),
        ))
        .child(Field::new("location", tr!(location_label)).select(
            location,
            tr!(choose_one),
            location_options,
            required(location, "location_id"),
        ))
        .child(Field::new("delivery-country", tr!(delivery_country_label)).select(
            country,
            tr!(choose_one),
            country_options,
            required(country, "delivery_country"),
        ))
        .child(Field::new("consultant", tr!(consultant_label)).select(
            consultant,
            tr!(choose_one),
            consultant_options,
            required(consultant, "consultant_id"),
        ))
        .child(
            el("div")
                .class("field-row")
                .child(
                    Field::new("starts-on", tr!(starts_on_label))
                        .kind("date")
                        .input(starts_on, dated(starts_on, "starts_on")),
                )
                .child(
                    Field::new("ends-on", tr!(ends_on_label)).kind("date").input(ends_on, dated(ends_on, "ends_on")),
                ),
        )
        .child(el("p").class("muted").text_signal(text_with(move |locale| {
            preview.with(|found| {
                found
                    .as_ref()
                    .map(|found| tr_in!(locale, schedule_before_expiry, &long_date(found.expires_on, locale)))
                    .unwrap_or_default()
            })
        })))
        .child(
            el("button")
                .attr("type", "submit")
                .class("button button--primary")
                .flag_signal("disabled", pending.into())
                .tr(tr!(reserve_button)),
        );

    group(vec![
        tr_el("h1", tr!(reserve_title)),
        tr_el("p", tr!(reserve_intro)).class("lead"),
        error_notice(failure.into()),
        validate_form,
        el("div").class("group").dynamic(preview_card),
        schedule_form,
    ])
}
