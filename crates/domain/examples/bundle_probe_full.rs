//! The bundle-size probe: a wasm module that runs what the browser app runs of the domain crate
//! (parsers, the eligibility checklist, voucher transitions, the timeline, messages in both
//! languages, JSON in and out). Its gzip size minus `bundle_probe_empty`'s is the crate's cost.
#![cfg(target_arch = "wasm32")]

use planning_domain::api::vouchers::VoucherView;
use planning_domain::voucher::{self, CompletionReportInput, ReservationContext, ReservationRequest};
use planning_domain::{
    evaluate_eligibility, parse_date, Actor, BoundedText, CountryCode, EligibilityPolicy, EmailAddress, EngagementId,
    FieldErrors, Locale, Localize, LocalizedText, LocationId, Money, PartnerProfile, ProgramTimeline, ServiceLevel,
    VoucherId,
};
use wasm_bindgen::prelude::wasm_bindgen;

#[derive(serde::Deserialize)]
struct Input {
    partner: PartnerProfile,
    voucher: VoucherView,
    today: String,
    form: std::collections::BTreeMap<String, String>,
}

#[wasm_bindgen]
pub fn run(input: &str) -> String {
    let Ok(input) = serde_json::from_str::<Input>(input) else { return String::new() };
    let timeline = ProgramTimeline::published();
    let mut fields = FieldErrors::default();
    let field = |name: &str| input.form.get(name).cloned().unwrap_or_default();
    let today = fields.check("today", parse_date(&input.today));
    let email = fields.check("email", EmailAddress::parse(&field("email")));
    let location = fields.check("location", LocationId::parse(&field("location")));
    let country = fields.check("country", CountryCode::parse(&field("country")));
    fields.check("voucher", VoucherId::parse(&field("voucher")));
    fields.check("text", BoundedText::parse(&field("text"), 1, 2500));
    fields.check("days", ServiceLevel::try_from(field("days").parse::<u8>().unwrap_or(0)));
    if let Some(country) = country {
        fields.check(
            "amount",
            Money::parse(
                &field("amount"),
                timeline
                    .daily_rates
                    .rate(country)
                    .map(|rate| rate.currency())
                    .unwrap_or(planning_domain::Currency::Usd),
            ),
        );
    }
    let (Some(today), Some(email), Some(location), Some(country)) = (today, email, location, country) else {
        let messages: Vec<LocalizedText> =
            fields.into_vec().iter().map(|error| LocalizedText::of(&error.error)).collect();
        return serde_json::to_string(&messages).unwrap_or_default();
    };
    let policy = EligibilityPolicy::published();
    let report = evaluate_eligibility(&input.partner, &policy, today);
    let actor = Actor::MpnPartnerAdmin { partner_id: input.partner.partner_id.clone() };
    let request = ReservationRequest {
        voucher_admin_email: email,
        engagement: EngagementId::ExchangeDeploymentPlanning,
        location_id: location,
        delivery_country: country,
        consultant_id: field("consultant"),
        starts_on: today,
        ends_on: today,
        repeat_exception: None,
    };
    let context = ReservationContext { partner: &input.partner, policy: &policy, history: &[], timeline: &timeline };
    let outcome = voucher::reserve_voucher(&input.voucher.voucher, &actor, today, &request, &context)
        .and_then(|transition| {
            let report_input = CompletionReportInput {
                consultant_id: field("consultant"),
                delivered_from: today,
                delivered_through: today,
                days_delivered: 1,
                offsite_days: 0,
                deliverable_document_ids: vec![field("document")],
            };
            voucher::submit_completion_report(&transition.voucher, &actor, today, report_input, &input.partner)
        })
        .and_then(|transition| voucher::redeem_voucher(&transition.voucher, &actor, today, &timeline))
        .and_then(|transition| voucher::cancel_reservation(&transition.voucher, &actor));
    let status = timeline.status_on(today);
    let words = match outcome {
        Ok(transition) => transition.events.iter().map(|event| event.message(Locale::Ko)).collect::<Vec<_>>().join(" "),
        Err(error) => LocalizedText::of(&error).ko,
    };
    format!("{}{}{}", serde_json::to_string(&report).unwrap_or_default(), words, status.actions.len())
}
