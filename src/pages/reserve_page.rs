//! `/vouchers/reserve`: steps 4 and 5 for an MPN Partner Admin. The voucher number and the
//! customer contact's email are validated first (a preview of what the voucher is), then the
//! engagement, location, consultant and schedule reserve it. Every value typed stays after any
//! error; the shared crate checks formats as the reader types, the server the rules.

use chrono::NaiveDate;
use leptos::prelude::*;
use planning_domain::api::vouchers::{ReserveVoucher, ValidateVoucher, VoucherPreview};
use planning_domain::catalog::ENGAGEMENTS;
use planning_domain::parse::parse_date;
use planning_domain::{EmailAddress, ErrorCode, Localize, Role, VoucherError, VoucherId, VoucherStatus};

use crate::api::{self, ApiError};
use crate::components::form_field::{country_options, InputField, SelectField};
use crate::components::notice::ErrorNotice;
use crate::components::require_sign_in::RequireSignIn;
use crate::format::{countdown, day_count, long_date};
use crate::state::locale::{text_opt, text_with, use_domain_locale};
use crate::state::program::use_program_date;
use crate::state::route::use_route;

/// The roles that may reserve (`Role::may(ReserveVoucher)`): both partner admin roles.
const PARTNER_ADMIN: &[Role] = &[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin];

#[component]
pub fn ReservePage() -> impl IntoView {
    view! {
        <RequireSignIn roles=PARTNER_ADMIN>
            <ReserveForm />
        </RequireSignIn>
    }
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

/// A reservation refused: the server's error and, when the voucher was taken or changed
/// meanwhile, the (voucher, email) to validate again so the preview shows it as it now is.
type Refusal = (ApiError, Option<(String, String)>);

#[component]
fn ReserveForm() -> impl IntoView {
    let locale = use_domain_locale();
    let today = use_program_date();
    let route = use_route();
    let program = LocalResource::new(api::get_partner_program);

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
    let failure = RwSignal::new(None::<ApiError>);
    let preview = RwSignal::new(None::<VoucherPreview>);

    let validate = Action::new_local(move |(id, address): &(String, String)| {
        let (id, body) = (id.clone(), ValidateVoucher { voucher_admin_email: address.clone() });
        async move { api::validate_voucher(&id, &body).await }
    });
    let reserve = Action::new_local(move |(id, body): &(String, ReserveVoucher)| {
        let (id, body) = (id.clone(), body.clone());
        async move {
            match api::reserve_voucher(&id, &body).await {
                Ok(view) => {
                    route.navigate(&format!("/vouchers/{}?reserved=1", view.voucher.id.as_str()));
                    Ok(())
                }
                Err(error) => {
                    // Lost to another partner (or changed meanwhile): show what the voucher is now.
                    let again = (error.code() == Some(ErrorCode::Conflict)).then_some((id, body.voucher_admin_email));
                    Err::<(), Refusal>((error, again))
                }
            }
        }
    });
    let (validating, reserving_now) = (validate.pending(), reserve.pending());
    let pending = Signal::derive(move || validating.get() || reserving_now.get());
    let validated = validate.value();
    Effect::new(move |_| {
        validated.with(|result| match result {
            Some(Ok(found)) => preview.set(Some(found.clone())),
            Some(Err(error)) => {
                preview.set(None);
                failure.set(Some(error.clone()));
            }
            None => {}
        })
    });
    let reserved = reserve.value();
    Effect::new(move |_| {
        reserved.with(|result| {
            if let Some(Err((error, again))) = result {
                failure.set(Some(error.clone()));
                if let Some(again) = again {
                    validate.dispatch(again.clone());
                }
            }
        })
    });

    let on_validate = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        checked.set(true);
        failure.set(None);
        let (Ok(id), Ok(address)) =
            (VoucherId::parse(&voucher_id.get_untracked()), EmailAddress::parse(&email.get_untracked()))
        else {
            return;
        };
        if !pending.get_untracked() {
            validate.dispatch((id.as_str().to_owned(), address.as_str().to_owned()));
        }
    };

    let on_reserve = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
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
        reserve.dispatch((found.voucher_id, body));
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
    let location_options = Signal::derive(move || {
        program.with(|loaded| {
            loaded
                .iter()
                .flat_map(|result| result.iter())
                .flat_map(|partner| partner.locations.iter())
                .map(|place| {
                    let label = format!("{} · {} ({})", place.location_id.as_str(), place.city, place.country.as_str());
                    (place.location_id.as_str().to_owned(), label)
                })
                .collect()
        })
    });
    let consultant_options = Signal::derive(move || {
        program.with(|loaded| {
            loaded
                .iter()
                .flat_map(|result| result.iter())
                .flat_map(|partner| partner.consultants.iter())
                .map(|person| (person.consultant_id.to_string(), person.display_name.clone()))
                .collect()
        })
    });

    let preview_card = move || {
        let locale = locale.get();
        let today = today.get().unwrap_or_default();
        preview.get().map(|found| preview_section(found, locale, today))
    };
    let assigned =
        move || preview.with(|found| found.as_ref().is_some_and(|found| found.status == VoucherStatus::Assigned));
    let schedule_note = text_with(move |locale| {
        preview.with(|found| {
            found
                .as_ref()
                .map(|found| tr_in!(locale, schedule_before_expiry, &long_date(found.expires_on, locale)))
                .unwrap_or_default()
        })
    });

    let required =
        |value: RwSignal<String>, field: &'static str| field_error(reserving, value, check_chosen, failure, field);
    let dated =
        |value: RwSignal<String>, field: &'static str| field_error(reserving, value, check_date, failure, field);
    let voucher_id_error = field_error(checked, voucher_id, check_voucher_id, failure, "voucher_id");
    let email_error = field_error(checked, email, check_email, failure, "voucher_admin_email");
    let engagement_error = required(engagement, "engagement");
    let location_error = required(location, "location_id");
    let country_error = required(country, "delivery_country");
    let consultant_error = required(consultant, "consultant_id");
    let starts_on_error = dated(starts_on, "starts_on");
    let ends_on_error = dated(ends_on, "ends_on");
    view! {
        <div class="group">
            <h1>{tr!(reserve_title)}</h1>
            <p class="lead">{tr!(reserve_intro)}</p>
            <ErrorNotice error=failure />
            <form class="card form" novalidate on:submit=on_validate>
                <h2>{tr!(reserve_step_validate)}</h2>
                <InputField
                    id="voucher-id"
                    label=tr!(voucher_number_label)
                    hint=tr!(voucher_number_hint)
                    value=voucher_id
                    error=voucher_id_error
                />
                <InputField
                    id="voucher-admin-email"
                    label=tr!(customer_email_label)
                    kind="email"
                    hint=tr!(customer_email_hint)
                    value=email
                    error=email_error
                />
                <button type="submit" class="button" disabled=pending>
                    {tr!(validate_button)}
                </button>
            </form>
            <div class="group">{preview_card}</div>
            <form class="card form" novalidate on:submit=on_reserve hidden=move || !assigned()>
                <h2>{tr!(reserve_step_schedule)}</h2>
                <SelectField
                    id="engagement"
                    label=tr!(engagement_label)
                    value=engagement
                    choose=tr!(choose_one)
                    options=engagement_options
                    error=engagement_error
                />
                <SelectField
                    id="location"
                    label=tr!(location_label)
                    value=location
                    choose=tr!(choose_one)
                    options=location_options
                    error=location_error
                />
                <SelectField
                    id="delivery-country"
                    label=tr!(delivery_country_label)
                    value=country
                    choose=tr!(choose_one)
                    options=country_options()
                    error=country_error
                />
                <SelectField
                    id="consultant"
                    label=tr!(consultant_label)
                    value=consultant
                    choose=tr!(choose_one)
                    options=consultant_options
                    error=consultant_error
                />
                <div class="field-row">
                    <InputField
                        id="starts-on"
                        label=tr!(starts_on_label)
                        kind="date"
                        value=starts_on
                        error=starts_on_error
                    />
                    <InputField
                        id="ends-on"
                        label=tr!(ends_on_label)
                        kind="date"
                        value=ends_on
                        error=ends_on_error
                    />
                </div>
                <p class="muted">{schedule_note}</p>
                <button type="submit" class="button button--primary" disabled=pending>
                    {tr!(reserve_button)}
                </button>
            </form>
        </div>
    }
}

/// What the voucher is, and why it cannot be reserved if it cannot, in the given language.
fn preview_section(found: VoucherPreview, locale: planning_domain::Locale, today: NaiveDate) -> AnyView {
    // A voucher that cannot be reserved says why, in the shared crate's words.
    let blocked = match found.status {
        VoucherStatus::Assigned => None,
        VoucherStatus::Expired => Some(VoucherError::VoucherExpired { expires_on: found.expires_on }.message(locale)),
        VoucherStatus::Reserved => Some(VoucherError::AlreadyReserved.message(locale)),
        _ => Some(tr_in!(locale, voucher_not_reservable).to_owned()),
    };
    let facts = [
        (tr_in!(locale, column_voucher), found.voucher_id),
        (tr_in!(locale, column_customer), found.customer_name),
        (tr_in!(locale, column_offering), found.offering.message(locale)),
        (tr_in!(locale, service_level), day_count(u32::from(found.service_level_days), locale)),
        (tr_in!(locale, column_status), found.status.message(locale)),
        (
            tr_in!(locale, column_expires),
            format!("{} ({})", long_date(found.expires_on, locale), countdown(today, found.expires_on, locale)),
        ),
    ]
    .map(|(term, detail)| view! { <dt>{term}</dt><dd>{detail}</dd> });
    let blocked = blocked.map(|reason| {
        view! {
            <div class="notice notice--error" role="alert">
                <p>{reason}</p>
            </div>
        }
    });
    view! {
        <section class="card preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{tr_in!(locale, voucher_preview_title)}</h2>
            <dl class="facts">{facts}</dl>
            {blocked}
        </section>
    }
    .into_any()
}
