//! Demo customer data: licensing enrollments with day pools, and vouchers in each state around
//! the demo's program date (2021-07-15), reserved by the eligible demo partner (Contoso).
//!
//! States are built directly rather than replayed through the transitions, because the
//! transitions judge eligibility on back-dated days; `seed_vouchers_are_consistent` checks each
//! seeded voucher against the rules the transitions enforce.

use std::collections::HashMap;

use chrono::NaiveDate;
use planning_domain::voucher::{CompletionReport, Redemption, Reservation, VoucherEvent, VoucherState};
use planning_domain::{
    CountryCode, EmailAddress, EngagementId, OfferingCode, PartnerProfile, ProgramTimeline, ServiceLevel, Voucher,
    VoucherId,
};
use sha2::{Digest, Sha256};

use crate::store::vouchers::{NewEnrollment, SeedVoucher};
use crate::store::Store;

/// A tiny valid PDF, the demo deliverable.
pub const DEMO_DELIVERABLE: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n\
trailer<</Root 1 0 R>>\n%%EOF\n";

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a valid demo date")
}

struct DemoVoucher {
    id: &'static str,
    customer: &'static str,
    enrollment: &'static str,
    assignee: &'static str,
    offering: OfferingCode,
    days: u8,
    assigned_on: &'static str,
    /// (engagement, country, starts, ends, reserved on)
    reservation: Option<(EngagementId, &'static str, &'static str, &'static str, &'static str)>,
    /// The day the completion report was filed.
    reported_on: Option<&'static str>,
    redeemed_on: Option<&'static str>,
}

const DEMO_VOUCHERS: &[DemoVoucher] = &[
    // Assigned, waiting for a partner: Contoso can reserve it for Exchange planning in Korea.
    DemoVoucher {
        id: "210628000101",
        customer: "Northwind Traders",
        enrollment: "67001234",
        assignee: "pm@northwind.example",
        offering: OfferingCode::Sedps,
        days: 3,
        assigned_on: "2021-06-28",
        reservation: None,
        reported_on: None,
        redeemed_on: None,
    },
    DemoVoucher {
        id: "210620000102",
        customer: "Northwind Traders",
        enrollment: "67001234",
        assignee: "pm@northwind.example",
        offering: OfferingCode::Ddps,
        days: 5,
        assigned_on: "2021-06-20",
        reservation: None,
        reported_on: None,
        redeemed_on: None,
    },
    // Reserved, engagement ahead.
    DemoVoucher {
        id: "210510000103",
        customer: "Northwind Traders",
        enrollment: "67001234",
        assignee: "pm@northwind.example",
        offering: OfferingCode::Sdps,
        days: 10,
        assigned_on: "2021-05-10",
        reservation: Some((EngagementId::SharepointDeploymentPlanning, "KR", "2021-08-02", "2021-08-13", "2021-05-20")),
        reported_on: None,
        redeemed_on: None,
    },
    // Reserved, delivered and reported: ready to redeem.
    DemoVoucher {
        id: "210401000104",
        customer: "Woodgrove Bank",
        enrollment: "67005678",
        assignee: "pm@woodgrove.example",
        offering: OfferingCode::Pvdps,
        days: 5,
        assigned_on: "2021-04-01",
        reservation: Some((
            EngagementId::WindowsServerPlatformModernization,
            "US",
            "2021-06-01",
            "2021-06-05",
            "2021-04-15",
        )),
        reported_on: Some("2021-06-10"),
        redeemed_on: None,
    },
    // Redeemed recently: a payment request is still possible.
    DemoVoucher {
        id: "210301000105",
        customer: "Northwind Traders",
        enrollment: "67001234",
        assignee: "pm@northwind.example",
        offering: OfferingCode::Ddps,
        days: 3,
        assigned_on: "2021-03-01",
        reservation: Some((
            EngagementId::WindowsAndOfficeDeploymentPlanning,
            "KR",
            "2021-06-14",
            "2021-06-16",
            "2021-03-15",
        )),
        reported_on: Some("2021-06-25"),
        redeemed_on: Some("2021-07-01"),
    },
    // Redeemed too long ago: its 60-day payment window closed on 2021-06-19.
    DemoVoucher {
        id: "210115000106",
        customer: "Woodgrove Bank",
        enrollment: "67005678",
        assignee: "pm@woodgrove.example",
        offering: OfferingCode::Sedps,
        days: 3,
        assigned_on: "2021-01-15",
        reservation: Some((EngagementId::ExchangeDeploymentPlanning, "US", "2021-03-01", "2021-03-03", "2021-02-01")),
        reported_on: Some("2021-03-10"),
        redeemed_on: Some("2021-04-20"),
    },
    // Past its 180 days without a reservation: the program clock expires it at start.
    DemoVoucher {
        id: "210105000107",
        customer: "Woodgrove Bank",
        enrollment: "67005678",
        assignee: "pm@woodgrove.example",
        offering: OfferingCode::Ddps,
        days: 1,
        assigned_on: "2021-01-05",
        reservation: None,
        reported_on: None,
        redeemed_on: None,
    },
    // Redeemed, then paid through the demo payment request PSR-2021-000001 (`seed_payments`).
    DemoVoucher {
        id: "210305000109",
        customer: "Northwind Traders",
        enrollment: "67001234",
        assignee: "pm@northwind.example",
        offering: OfferingCode::Ddps,
        days: 5,
        assigned_on: "2021-03-05",
        reservation: Some((
            EngagementId::WindowsAndOfficeDeploymentPlanning,
            "KR",
            "2021-05-10",
            "2021-05-14",
            "2021-03-15",
        )),
        reported_on: Some("2021-05-17"),
        redeemed_on: Some("2021-05-20"),
    },
    // Redeemed, then claimed by the submitted demo payment request PSR-2021-000002 (`seed_payments`).
    DemoVoucher {
        id: "210310000108",
        customer: "Northwind Traders",
        enrollment: "67001234",
        assignee: "pm@northwind.example",
        offering: OfferingCode::Ddps,
        days: 3,
        assigned_on: "2021-03-10",
        reservation: Some((
            EngagementId::WindowsAndOfficeDeploymentPlanning,
            "KR",
            "2021-06-21",
            "2021-06-23",
            "2021-03-20",
        )),
        reported_on: Some("2021-06-28"),
        redeemed_on: Some("2021-07-02"),
    },
];

/// The demo enrollments: (customer, number, ends on, activated on, days accrued).
const DEMO_ENROLLMENTS: &[(&str, &str, &str, Option<&str>, u32)] = &[
    ("Northwind Traders", "67001234", "2023-12-31", Some("2020-09-01"), 60),
    ("Woodgrove Bank", "67005678", "2021-09-30", Some("2020-11-15"), 30),
    ("Woodgrove Bank", "67005679", "2024-06-30", None, 15),
];

/// Builds the demo vouchers for the reserving partner's profile (its locations and consultants).
fn demo_vouchers(
    timeline: &ProgramTimeline,
    partner: &PartnerProfile,
    document_id: &str,
    customer_ids: &HashMap<&str, i64>,
) -> Vec<SeedVoucher> {
    let consultant_id =
        partner.consultants.first().map(|consultant| consultant.consultant_id.clone()).unwrap_or_default();
    DEMO_VOUCHERS
        .iter()
        .map(|demo| {
            let id = VoucherId::parse(demo.id).expect("demo voucher ids are valid");
            let assigned_on = date(demo.assigned_on);
            let reservation = demo.reservation.map(|(engagement, country, starts_on, ends_on, reserved_on)| {
                let country = CountryCode::parse(country).expect("demo countries are valid");
                let location = partner
                    .locations
                    .iter()
                    .find(|location| location.country == country)
                    .expect("a demo location per country");
                Reservation {
                    partner_id: partner.partner_id.clone(),
                    location_id: location.location_id.clone(),
                    delivery_country: country,
                    engagement,
                    consultant_id: consultant_id.clone(),
                    starts_on: date(starts_on),
                    ends_on: date(ends_on),
                    reserved_on: date(reserved_on),
                    repeat_exception: None,
                }
            });
            let report =
                demo.reported_on.zip(reservation.as_ref()).map(|(reported_on, reservation)| CompletionReport {
                    submitted_on: date(reported_on),
                    consultant_id: consultant_id.clone(),
                    delivered_from: reservation.starts_on,
                    delivered_through: reservation.ends_on,
                    days_delivered: demo.days,
                    offsite_days: 0,
                    deliverable_document_ids: vec![document_id.to_owned()],
                });
            let state = match (reservation.clone(), report.clone(), demo.redeemed_on) {
                (Some(reservation), Some(completion_report), Some(redeemed_on)) => VoucherState::Redeemed {
                    redemption: Redemption {
                        reservation,
                        completion_report,
                        redeemed_on: date(redeemed_on),
                        deadline_after_rejection: None,
                    },
                },
                (Some(reservation), completion_report, None) => {
                    VoucherState::Reserved { reservation, completion_report }
                }
                _ => VoucherState::Assigned,
            };
            let voucher = Voucher {
                id: id.clone(),
                customer_id: customer_ids.get(demo.customer).map(i64::to_string).unwrap_or_default(),
                enrollment_id: demo.enrollment.to_owned(),
                offering: demo.offering,
                service_level: ServiceLevel::try_from(demo.days).expect("demo service levels are valid"),
                assignee_email: EmailAddress::parse(demo.assignee).expect("demo emails are valid"),
                assigned_on,
                expires_on: timeline.voucher_expiry(assigned_on),
                state,
            };
            let mut events = vec![VoucherEvent::Created {
                voucher_id: id.clone(),
                days_deducted: demo.days,
                expires_on: voucher.expires_on,
            }];
            if let Some(reservation) = &reservation {
                events.push(VoucherEvent::Reserved {
                    voucher_id: id.clone(),
                    partner_id: reservation.partner_id.clone(),
                    engagement: reservation.engagement,
                    starts_on: reservation.starts_on,
                });
            }
            if report.is_some() {
                events.push(VoucherEvent::CompletionReportSubmitted { voucher_id: id.clone() });
            }
            if let Some(redeemed_on) = demo.redeemed_on {
                let payment_deadline = planning_domain::voucher::payment_deadline(date(redeemed_on), timeline);
                events.push(VoucherEvent::Redeemed { voucher_id: id.clone(), payment_deadline });
            }
            SeedVoucher {
                partner_organization_id: reservation
                    .as_ref()
                    .and_then(|reservation| reservation.partner_id.parse().ok()),
                voucher,
                events,
            }
        })
        .collect()
}

/// Creates the demo enrollments and vouchers, and stores the demo deliverable.
pub async fn seed_customer_data(
    store: &dyn Store,
    timeline: &ProgramTimeline,
    documents_dir: &std::path::Path,
) -> anyhow::Result<()> {
    let Some(partner_id) = store.organization_id("Contoso Consulting").await? else { return Ok(()) };
    let Some(partner) = store.partner_profile(partner_id).await? else { return Ok(()) };
    let document_id = store_demo_deliverable(documents_dir).await?;
    let mut customer_ids = HashMap::new();
    for (customer, ..) in DEMO_ENROLLMENTS {
        let id = store.organization_id(customer).await?.ok_or_else(|| anyhow::anyhow!("{customer} missing"))?;
        customer_ids.insert(*customer, id);
    }
    let mut enrollments = Vec::new();
    for (customer, number, ends_on, activated_on, accrued) in DEMO_ENROLLMENTS {
        let organization_id = customer_ids[customer];
        enrollments.push(NewEnrollment {
            organization_id,
            enrollment_number: (*number).to_owned(),
            ends_on: date(ends_on),
            activated_on: activated_on.map(date),
            accrued_days: *accrued,
            accrued_on: date("2020-07-01"),
        });
    }
    let vouchers = demo_vouchers(timeline, &partner, &document_id, &customer_ids);
    store.seed_customer_data(enrollments, vouchers, &document_id, partner_id, date("2021-07-15")).await?;
    tracing::info!("demo enrollments and vouchers created");
    Ok(())
}

/// Writes the demo deliverable under its content hash, as an upload would be stored.
pub(crate) async fn store_demo_deliverable(documents_dir: &std::path::Path) -> anyhow::Result<String> {
    let document_id: String = Sha256::digest(DEMO_DELIVERABLE).iter().map(|byte| format!("{byte:02x}")).collect();
    tokio::fs::create_dir_all(documents_dir).await?;
    tokio::fs::write(documents_dir.join(&document_id), DEMO_DELIVERABLE).await?;
    Ok(document_id)
}

#[cfg(test)]
mod tests {
    use planning_domain::voucher::VoucherStatus;

    use super::*;

    #[test]
    fn demo_vouchers_keep_the_rules_the_transitions_enforce() {
        let timeline = ProgramTimeline::published();
        for demo in DEMO_VOUCHERS {
            let assigned_on = date(demo.assigned_on);
            assert!(assigned_on <= timeline.last_voucher_creation, "{}", demo.id);
            let expires_on = timeline.voucher_expiry(assigned_on);
            if let Some((engagement, _, starts_on, ends_on, reserved_on)) = demo.reservation {
                assert_eq!(engagement.details().offering, demo.offering, "{}", demo.id);
                assert!(date(reserved_on) < date(starts_on), "{}: reserve before the start", demo.id);
                assert!(date(ends_on) <= expires_on, "{}: deliver within the voucher life", demo.id);
                assert!(demo.days <= engagement.details().max_days, "{}", demo.id);
                if let Some(reported_on) = demo.reported_on {
                    assert!(date(reported_on) >= date(ends_on), "{}: report after delivery", demo.id);
                    if let Some(redeemed_on) = demo.redeemed_on {
                        assert!(
                            date(redeemed_on) >= date(reported_on) && date(redeemed_on) <= expires_on,
                            "{}",
                            demo.id
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_demo_covers_every_state_before_payment() {
        let program_date = date("2021-07-15");
        let timeline = ProgramTimeline::published();
        let mut seen = Vec::new();
        for demo in DEMO_VOUCHERS {
            let status = match (demo.reservation, demo.redeemed_on) {
                (_, Some(_)) => VoucherStatus::Redeemed,
                (Some(_), None) => VoucherStatus::Reserved,
                (None, None) if timeline.voucher_expiry(date(demo.assigned_on)) < program_date => {
                    VoucherStatus::Expired
                }
                (None, None) => VoucherStatus::Assigned,
            };
            seen.push(status);
        }
        for status in
            [VoucherStatus::Assigned, VoucherStatus::Reserved, VoucherStatus::Redeemed, VoucherStatus::Expired]
        {
            assert!(seen.contains(&status), "{status:?}");
        }
    }
}
