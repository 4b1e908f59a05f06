//! Fuzzes the API's request bodies: the first byte picks a request type, the rest is decoded as
//! its JSON with serde_json, as the server's `Json` extractor does. Decoding never panics; a
//! decoded body serializes back to JSON that decodes to the same value; then its fields go through
//! the domain's parsers the way the server's handlers check them (`FieldErrors`), and every field
//! error has words in both languages and survives the wire.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planning_domain::account::{parse_display_name, Password};
use planning_domain::api::embed::{CreateEmbedToken, EmbedTarget};
use planning_domain::api::partners::{
    BusinessProfileUpdate, DirectoryQuery, EnrollInOffering, NewConsultant, NewLocation, NewPassedExam, SetCompetency,
    SignAgreement,
};
use planning_domain::api::payments::{
    CreatePaymentRequest, PayableVoucherQuery, RegisterPaymentProgram, ReviewDecisionReason, RevisePaymentRequest,
    SubmitPaymentRequest,
};
use planning_domain::api::vouchers::{
    CreateVoucher, RedeemVouchers, RescheduleEngagement, ReserveVoucher, SubmitCompletionReport, ValidateVoucher,
};
use planning_domain::api::{NewUser, SignIn};
use planning_domain::embed::{check_allowed_origins, check_token_life};
use planning_domain::payment::MAX_REASON_LENGTH;
use planning_domain::profile::{
    parse_competency_filter, parse_offering_filter, parse_tags, ExamCode, LinkedInPage, ProfileDescription, TagKind,
    WebAddress,
};
use planning_domain::{
    parse_date, BoundedText, CountryCode, EmailAddress, FieldError, FieldErrors, Locale, Localize, LocationId,
    ServiceLevel, VoucherId,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Decodes `json` as `T`; a decoded value round-trips through JSON and is then validated.
fn body<T>(json: &[u8], validate: impl FnOnce(&T, &mut FieldErrors))
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(json) else { return };
    let encoded = serde_json::to_vec(&value).expect("a decoded body serializes");
    assert_eq!(serde_json::from_slice::<T>(&encoded).expect("its own JSON decodes"), value);
    let mut fields = FieldErrors::default();
    validate(&value, &mut fields);
    for error in fields.into_vec() {
        assert!(!error.error.message(Locale::En).is_empty() && !error.error.message(Locale::Ko).is_empty());
        let wire = serde_json::to_vec(&error).expect("a field error serializes");
        assert_eq!(serde_json::from_slice::<FieldError>(&wire).expect("and decodes"), error);
    }
}

/// The server's bounds for names and cities (`routes/partners.rs`).
const NAME_LENGTH: (usize, usize) = (1, 100);

fn voucher_ids(ids: &[String], fields: &mut FieldErrors) {
    for id in ids {
        fields.check("voucher_ids", VoucherId::parse(id));
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, json)) = data.split_first() else { return };
    match selector % 24 {
        0 => body::<SignIn>(json, |sign_in, fields| {
            fields.check("email", EmailAddress::parse(&sign_in.email));
        }),
        1 => body::<NewUser>(json, |user, fields| {
            fields.check("email", EmailAddress::parse(&user.email));
            fields.check("display_name", parse_display_name(&user.display_name));
            fields.check("password", Password::parse_new(&user.password));
        }),
        2 => body::<CreateVoucher>(json, |voucher, fields| {
            fields.check("service_level", ServiceLevel::try_from(voucher.service_level));
            fields.check("assignee_email", EmailAddress::parse(&voucher.assignee_email));
        }),
        3 => body::<ValidateVoucher>(json, |validation, fields| {
            fields.check("voucher_admin_email", EmailAddress::parse(&validation.voucher_admin_email));
        }),
        4 => body::<ReserveVoucher>(json, |reservation, fields| {
            fields.check("voucher_admin_email", EmailAddress::parse(&reservation.voucher_admin_email));
            fields.check("location_id", LocationId::parse(&reservation.location_id));
            fields.check("delivery_country", CountryCode::parse(&reservation.delivery_country));
            fields.check("starts_on", parse_date(&reservation.starts_on));
            fields.check("ends_on", parse_date(&reservation.ends_on));
        }),
        5 => body::<RescheduleEngagement>(json, |reschedule, fields| {
            fields.check("starts_on", parse_date(&reschedule.starts_on));
            fields.check("ends_on", parse_date(&reschedule.ends_on));
        }),
        6 => body::<SubmitCompletionReport>(json, |report, fields| {
            fields.check("delivered_from", parse_date(&report.delivered_from));
            fields.check("delivered_through", parse_date(&report.delivered_through));
        }),
        7 => body::<RedeemVouchers>(json, |redemption, fields| voucher_ids(&redemption.voucher_ids, fields)),
        8 => body::<CreateEmbedToken>(json, |token, fields| {
            if let EmbedTarget::Voucher(id) = &token.target {
                fields.check("target", VoucherId::parse(id));
            }
            fields.check("allowed_origins", check_allowed_origins(&token.allowed_origins));
            fields.check("expires_in_days", check_token_life(token.expires_in_days));
        }),
        9 => body::<SignAgreement>(json, |_, _| {}),
        10 => body::<EnrollInOffering>(json, |_, _| {}),
        11 => body::<SetCompetency>(json, |competency, fields| {
            fields.check("expires_on", parse_date(&competency.expires_on));
        }),
        12 => body::<NewLocation>(json, |location, fields| {
            fields.check("location_id", LocationId::parse(&location.location_id));
            fields.check("country", CountryCode::parse(&location.country));
            fields.check("city", BoundedText::parse(&location.city, NAME_LENGTH.0, NAME_LENGTH.1));
        }),
        13 => body::<NewConsultant>(json, |consultant, fields| {
            fields.check("display_name", BoundedText::parse(&consultant.display_name, NAME_LENGTH.0, NAME_LENGTH.1));
            fields.check("email", EmailAddress::parse(&consultant.email));
        }),
        14 => body::<NewPassedExam>(json, |exam, fields| {
            fields.check("exam", ExamCode::parse(&exam.exam));
        }),
        15 => body::<BusinessProfileUpdate>(json, |profile, fields| {
            fields.check("country", CountryCode::parse(&profile.country));
            fields.check("description", ProfileDescription::parse(&profile.description));
            fields.check("website", WebAddress::parse(&profile.website));
            fields.check("linkedin_page", LinkedInPage::parse_optional(profile.linkedin_page.as_deref()));
            fields.check("industries", parse_tags(TagKind::Industry, &profile.industries));
            fields.check("products", parse_tags(TagKind::Product, &profile.products));
            fields.check("service_types", parse_tags(TagKind::ServiceType, &profile.service_types));
        }),
        16 => body::<DirectoryQuery>(json, |query, fields| {
            if let Some(country) = &query.country {
                fields.check("country", CountryCode::parse(country));
            }
            if let Some(offering) = &query.offering {
                fields.check("offering", parse_offering_filter(offering));
            }
            if let Some(competency) = &query.competency {
                fields.check("competency", parse_competency_filter(competency));
            }
            if let Some(words) = &query.q {
                fields.check("q", BoundedText::parse(words, 0, 100));
            }
        }),
        17 => body::<RegisterPaymentProgram>(json, |_, _| {}),
        18 => body::<PayableVoucherQuery>(json, |query, fields| {
            if let Some(country) = &query.country {
                fields.check("country", CountryCode::parse(country));
            }
            if let Some(location) = &query.location_id {
                fields.check("location_id", LocationId::parse(location));
            }
        }),
        19 => body::<CreatePaymentRequest>(json, |request, fields| voucher_ids(&request.voucher_ids, fields)),
        20 => body::<RevisePaymentRequest>(json, |request, fields| voucher_ids(&request.voucher_ids, fields)),
        21 => body::<SubmitPaymentRequest>(json, |_, _| {}),
        22 => body::<ReviewDecisionReason>(json, |decision, fields| {
            fields.check("reason", BoundedText::parse(&decision.reason, 1, MAX_REASON_LENGTH));
        }),
        _ => {
            // Anything the app may be sent back: the error body it decodes.
            if let Ok(view) = serde_json::from_slice::<planning_domain::ErrorView>(json) {
                let _ = view.localized(Locale::Ko);
            }
        }
    }
});
