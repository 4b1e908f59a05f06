//! Demo payment data around the demo's program date (2021-07-15): Contoso registered for DDPS and
//! S-EDPS payments, one request paid in June (its voucher `Paid`) and one submitted early in July
//! and waiting for the operator (its voucher `Claimed`).
//!
//! The requests are built with the domain's own transitions on back-dated days, from vouchers
//! that `seed_vouchers` created redeemed, so every seeded state is one the rules can reach; the
//! paid request passed the review checklist on the day it was approved.

use chrono::NaiveDate;
use planning_domain::payment::{
    approve_payment_request, draft_payment_request, mark_payment_request_paid, register_payment_program,
    review_payment_request, submit_payment_request, PaymentContext, PaymentTransition, SavbRegistration,
};
use planning_domain::qualification::QualificationHistory;
use planning_domain::{
    Actor, OfferingCode, PartnerProfile, PaymentError, PaymentRequest, ProgramTimeline, ReferenceNumber, Voucher,
    VoucherEvent,
};

use crate::clock::wall_time;
use crate::store::payments::{SeedPaymentRequest, SeedPaymentStep};
use crate::store::vouchers::VoucherScope;
use crate::store::Store;

/// The demo voucher of the paid request (DDPS, KR, 5 days, redeemed 2021-05-20).
pub const DEMO_PAID_VOUCHER: &str = "210305000109";
/// The demo voucher of the submitted request (DDPS, KR, 3 days, redeemed 2021-07-02).
pub const DEMO_CLAIMED_VOUCHER: &str = "210310000108";
/// The demo requests' ids; their row ids are their reference numbers' sequences.
pub const DEMO_PAID_REQUEST: &str = "PR-0000000001";
pub const DEMO_SUBMITTED_REQUEST: &str = "PR-0000000002";

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a valid demo date")
}

/// One demo request carried from draft to its last step.
struct Steps {
    request: PaymentRequest,
    vouchers: Vec<Voucher>,
    steps: Vec<SeedPaymentStep>,
    voucher_events: Vec<VoucherEvent>,
}

impl Steps {
    fn start(transition: PaymentTransition, on: NaiveDate) -> Steps {
        let mut steps = Steps {
            request: transition.request.clone(),
            vouchers: Vec::new(),
            steps: Vec::new(),
            voucher_events: Vec::new(),
        };
        steps.record(None, transition, on);
        steps
    }

    fn then(&mut self, transition: PaymentTransition, on: NaiveDate) {
        let from = Some(self.request.status());
        self.record(from, transition, on);
    }

    fn record(
        &mut self,
        from_status: Option<planning_domain::PaymentStatus>,
        transition: PaymentTransition,
        on: NaiveDate,
    ) {
        let to_status = transition.request.status();
        self.steps.extend(transition.events.into_iter().map(|event| SeedPaymentStep {
            event,
            from_status,
            to_status,
            program_date: on,
        }));
        if !transition.vouchers.is_empty() {
            self.vouchers = transition.vouchers;
        }
        self.voucher_events.extend(transition.voucher_events);
        self.request = transition.request;
    }

    fn into_seed(self) -> SeedPaymentRequest {
        SeedPaymentRequest {
            request: self.request,
            vouchers: self.vouchers,
            steps: self.steps,
            voucher_events: self.voucher_events,
        }
    }
}

fn reference(sequence: u32) -> ReferenceNumber {
    ReferenceNumber::new(2021, sequence).expect("demo reference numbers are valid")
}

fn pick(vouchers: &[Voucher], id: &str) -> Result<Vec<Voucher>, PaymentError> {
    let found: Vec<Voucher> = vouchers.iter().filter(|voucher| voucher.id.as_str() == id).cloned().collect();
    if found.is_empty() {
        return Err(PaymentError::NoVouchers);
    }
    Ok(found)
}

/// The demo registrations and requests for `partner`, from its vouchers and records as seeded (pure).
pub fn demo_payments(
    partner: &PartnerProfile,
    records: &QualificationHistory,
    vouchers: &[Voucher],
    timeline: &ProgramTimeline,
) -> Result<(Vec<SavbRegistration>, Vec<SeedPaymentRequest>), PaymentError> {
    let global_admin = Actor::PartnerGlobalAdmin { partner_id: partner.partner_id.clone() };
    let operator = Actor::ProgramOperator;
    let mut registrations = Vec::new();
    for program in [OfferingCode::Ddps, OfferingCode::Sedps] {
        let registration =
            register_payment_program(&global_admin, program, vouchers, &registrations, date("2021-05-21"))?;
        registrations.push(registration);
    }
    let context = PaymentContext { registrations: &registrations, timeline };

    // Paid: drafted and submitted 2021-05-24, approved 2021-06-01, paid 2021-06-15.
    let selected = pick(vouchers, DEMO_PAID_VOUCHER)?;
    let drafted_on = date("2021-05-24");
    let drafted = draft_payment_request(
        DEMO_PAID_REQUEST.to_owned(),
        &global_admin,
        OfferingCode::Ddps,
        &selected,
        drafted_on,
        &context,
    )?;
    let mut paid = Steps::start(drafted, drafted_on);
    let submitted =
        submit_payment_request(&paid.request, &global_admin, &selected, reference(1), drafted_on, &context)?;
    paid.then(submitted, drafted_on);
    let checklist = review_payment_request(&paid.request, &paid.vouchers, partner, &[], records, &timeline.daily_rates);
    let approved_on = date("2021-06-01");
    let approved = approve_payment_request(&paid.request, &operator, approved_on, &checklist)?;
    paid.then(approved, approved_on);
    let paid_on = date("2021-06-15");
    let claimed = paid.vouchers.clone();
    let done = mark_payment_request_paid(&paid.request, &operator, paid_on, &claimed)?;
    paid.then(done, paid_on);

    // Submitted: drafted 2021-07-05, submitted 2021-07-06, waiting for the operator.
    let selected = pick(vouchers, DEMO_CLAIMED_VOUCHER)?;
    let drafted_on = date("2021-07-05");
    let drafted = draft_payment_request(
        DEMO_SUBMITTED_REQUEST.to_owned(),
        &global_admin,
        OfferingCode::Ddps,
        &selected,
        drafted_on,
        &context,
    )?;
    let mut waiting = Steps::start(drafted, drafted_on);
    let submitted_on = date("2021-07-06");
    let submitted =
        submit_payment_request(&waiting.request, &global_admin, &selected, reference(2), submitted_on, &context)?;
    waiting.then(submitted, submitted_on);

    Ok((registrations, vec![paid.into_seed(), waiting.into_seed()]))
}

/// Creates the demo payment data in one transaction (after `seed_vouchers`).
pub async fn seed_payment_data(store: &dyn Store, timeline: &ProgramTimeline) -> anyhow::Result<()> {
    let Some(partner_id) = store.organization_id("Contoso Consulting").await? else { return Ok(()) };
    let Some(partner) = store.partner_profile(partner_id).await? else { return Ok(()) };
    let vouchers: Vec<Voucher> =
        store.vouchers(VoucherScope::Partner(partner_id)).await?.into_iter().map(|stored| stored.voucher).collect();
    let records = store.qualification_history(partner_id).await?;
    let (registrations, requests) = demo_payments(&partner, &records, &vouchers, timeline)
        .map_err(|error| anyhow::anyhow!("demo payment data breaks a rule: {error}"))?;
    store.seed_payment_data(partner_id, registrations, requests, wall_time()).await?;
    tracing::info!("demo payment requests created");
    Ok(())
}
