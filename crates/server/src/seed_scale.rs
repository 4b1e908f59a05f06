//! The benchmark data generator (`planning-server generate`): on top of the demo data, many
//! partner and customer organizations and vouchers spread over them in every state, consistent
//! with the program date: a voucher past its expiry date is stored expired (so start-up has
//! nothing to sweep), a reservation starts inside the voucher's life, a redemption follows its
//! completion report and falls on or before the program date. Deterministic: the same numbers
//! give the same data.

use chrono::{Duration, NaiveDate};
use planning_domain::account::OrganizationKind;
use planning_domain::profile::CustomerSize;
use planning_domain::voucher::{CompletionReport, Redemption, Reservation, VoucherEvent, VoucherState};
use planning_domain::{
    CountryCode, EmailAddress, LocationId, OfferingCode, ProgramTimeline, ServiceLevel, Voucher, VoucherId,
};

use crate::clock::wall_time;
use crate::store::accounts::NewOrganization;
use crate::store::partners::{NewPartnerLocation, ProfileFields, SeedPartnerProgram};
use crate::store::vouchers::{NewEnrollment, SeedVoucher};
use crate::store::Store;

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct ScaleSpec {
    pub vouchers: u64,
    pub partners: u64,
    pub customers: u64,
    /// The first customer is the demo's Northwind Traders, so that its benefit administrator
    /// (a demo sign-in) sees that customer's share of the vouchers.
    pub demo_customer_first: bool,
    pub program_date: NaiveDate,
}

/// Organizations written per transaction.
const ORGANIZATION_BATCH: usize = 1000;
/// Customers (with all their vouchers) written per transaction.
const CUSTOMER_BATCH: u64 = 50;

/// Generates the data; returns the number of vouchers written. Refuses a database that already
/// holds generated data (the names would collide).
pub async fn generate(
    store: &dyn Store,
    timeline: &ProgramTimeline,
    documents_dir: &std::path::Path,
    spec: ScaleSpec,
) -> anyhow::Result<u64> {
    anyhow::ensure!(spec.partners > 0 && spec.customers > 0, "--partners and --customers must be at least 1");
    crate::seed::seed_demo_data_if_empty(store, timeline, documents_dir).await?;
    anyhow::ensure!(
        store.organization_id(&partner_name(0)).await?.is_none(),
        "this database already holds generated data; generate into a fresh --data-dir"
    );
    let document_id = crate::seed_vouchers::store_demo_deliverable(documents_dir).await?;
    let partner_ids = create_organizations(store, OrganizationKind::Partner, spec.partners, partner_name).await?;
    create_partner_profiles(store, spec.partners).await?;
    let mut customer_ids =
        create_organizations(store, OrganizationKind::Customer, spec.customers, customer_name).await?;
    if spec.demo_customer_first {
        customer_ids[0] =
            store.organization_id("Northwind Traders").await?.ok_or_else(|| anyhow::anyhow!("no demo customer"))?;
    }

    let per_customer = spec.vouchers.div_ceil(spec.customers);
    let mut written = 0;
    for first_customer in (0..spec.customers).step_by(CUSTOMER_BATCH as usize) {
        let customers = first_customer..(first_customer + CUSTOMER_BATCH).min(spec.customers);
        let mut enrollments = Vec::new();
        let mut vouchers = Vec::new();
        for customer in customers {
            let first = customer * per_customer;
            let last = ((customer + 1) * per_customer).min(spec.vouchers);
            let enrollment_number = format!("{}", 70_000_000 + customer);
            let mut days = 0;
            for serial in first..last {
                let seed = voucher(
                    serial,
                    &enrollment_number,
                    customer_ids[customer as usize],
                    &partner_ids,
                    &document_id,
                    timeline,
                    spec.program_date,
                );
                days += u32::from(seed.voucher.service_level.days());
                vouchers.push(seed);
            }
            enrollments.push(NewEnrollment {
                organization_id: customer_ids[customer as usize],
                enrollment_number,
                ends_on: spec.program_date + Duration::days(900),
                activated_on: Some(spec.program_date - Duration::days(400)),
                accrued_days: days + 20,
                accrued_on: spec.program_date - Duration::days(400),
            });
            written += last.saturating_sub(first);
        }
        store.seed_customer_data(enrollments, vouchers, &document_id, partner_ids[0], spec.program_date).await?;
    }
    Ok(written)
}

fn partner_name(index: u64) -> String {
    format!("Scale Partner {index:05}")
}

fn customer_name(index: u64) -> String {
    format!("Scale Customer {index:05}")
}

async fn create_organizations(
    store: &dyn Store,
    kind: OrganizationKind,
    count: u64,
    name: fn(u64) -> String,
) -> anyhow::Result<Vec<i64>> {
    let names: Vec<String> = (0..count).map(name).collect();
    for (batch, chunk) in names.chunks(ORGANIZATION_BATCH).enumerate() {
        let organizations = chunk
            .iter()
            .map(|name| {
                let organization =
                    NewOrganization { kind, name: name.clone(), country: "KR".to_owned(), created_at: wall_time() };
                (organization, Vec::new())
            })
            .collect();
        let marker = format!("generated_{kind:?}_{batch}");
        store.seed_organizations(organizations, (&marker, &chunk.len().to_string())).await?;
    }
    let mut ids = Vec::with_capacity(names.len());
    for name in &names {
        ids.push(store.organization_id(name).await?.ok_or_else(|| anyhow::anyhow!("{name} was not created"))?);
    }
    Ok(ids)
}

/// A published business profile for every generated partner (one location in Korea, tags drawn
/// from short lists), so that the directory searches as many profiles as there are partners.
async fn create_partner_profiles(store: &dyn Store, count: u64) -> anyhow::Result<()> {
    const INDUSTRIES: [&str; 4] = ["Financial services", "Manufacturing", "Retail", "Public sector"];
    const PRODUCTS: [&str; 4] = ["Exchange Server", "SharePoint", "Windows Server", "SQL Server"];
    let korea = CountryCode::parse("KR").expect("a country code");
    for first in (0..count).step_by(ORGANIZATION_BATCH) {
        let programs = (first..(first + ORGANIZATION_BATCH as u64).min(count))
            .map(|index| {
                let pick = |list: &[&str; 4]| vec![list[(index % 4) as usize].to_owned()];
                SeedPartnerProgram {
                    organization_name: partner_name(index),
                    agreement: None,
                    renewal_due_on: None,
                    compliance_training_completed: false,
                    enrolled_offerings: Vec::new(),
                    competencies: Vec::new(),
                    // No records: the date only stamps the (empty) history.
                    records_since: NaiveDate::from_ymd_opt(2019, 3, 31).expect("a calendar date"),
                    locations: vec![NewPartnerLocation {
                        location_id: LocationId::parse(&format!("{:07}", 8_000_000 + index)).expect("7 digits"),
                        country: korea,
                        city: "Seoul".to_owned(),
                    }],
                    consultants: Vec::new(),
                    business_profile: Some(ProfileFields {
                        country: korea,
                        description: format!("{} plans deployments for customers in Korea.", partner_name(index)),
                        website: format!("https://partner{index}.example"),
                        linkedin_page: None,
                        industries: pick(&INDUSTRIES),
                        products: pick(&PRODUCTS),
                        service_types: vec!["Deployment planning".to_owned()],
                        target_customer_size: CustomerSize::Medium,
                        allow_endorsement: false,
                        published: true,
                    }),
                }
            })
            .collect();
        store.seed_partner_programs(programs, wall_time()).await?;
    }
    Ok(())
}

/// Voucher number `serial` (12 digits, starting with 9 so it never meets a demo number), in a
/// state chosen by the serial and made consistent with the program date.
fn voucher(
    serial: u64,
    enrollment_number: &str,
    customer_id: i64,
    partner_ids: &[i64],
    document_id: &str,
    timeline: &ProgramTimeline,
    today: NaiveDate,
) -> SeedVoucher {
    let id = VoucherId::parse(&format!("9{serial:011}")).expect("generated voucher numbers are valid");
    let offering = OfferingCode::ACTIVE[(serial % 6) as usize];
    let service_level = ServiceLevel::ALL[(serial % 5) as usize];
    let days = service_level.days();
    // Assigned on one of the 360 days before the program date: about half are past expiry.
    let assigned_on = today - Duration::days(((serial * 7919) % 360) as i64);
    let expires_on = timeline.voucher_expiry(assigned_on);
    let partner_id = partner_ids[(serial % partner_ids.len() as u64) as usize];
    let consultant_id = format!("{partner_id}01");
    let reservation = || Reservation {
        partner_id: partner_id.to_string(),
        location_id: LocationId::parse(&format!("{:07}", 1_000_000 + partner_id % 9_000_000)).expect("7 digits"),
        delivery_country: CountryCode::parse("KR").expect("a country"),
        engagement: offering.engagements().next().expect("every offering has engagements").id,
        consultant_id: consultant_id.clone(),
        starts_on: assigned_on + Duration::days(7),
        ends_on: assigned_on + Duration::days(6 + i64::from(days)),
        reserved_on: assigned_on + Duration::days(2),
        repeat_exception: None,
    };
    let redemption = || {
        let reservation = reservation();
        let completion_report = CompletionReport {
            submitted_on: reservation.ends_on + Duration::days(1),
            consultant_id: consultant_id.clone(),
            delivered_from: reservation.starts_on,
            delivered_through: reservation.ends_on,
            days_delivered: days,
            offsite_days: 0,
            deliverable_document_ids: vec![document_id.to_owned()],
        };
        let redeemed_on = reservation.ends_on + Duration::days(2);
        Redemption { reservation, completion_report, redeemed_on, deadline_after_rejection: None }
    };
    let delivered_by = assigned_on + Duration::days(8 + i64::from(days));
    let state = match serial % 10 {
        // Redeemed before the program date (and before expiry).
        7..=9 if delivered_by <= today && delivered_by <= expires_on => {
            VoucherState::Redeemed { redemption: redemption() }
        }
        _ if expires_on < today => {
            VoucherState::Expired { expired_on: expires_on + Duration::days(1), days_returned: 0 }
        }
        4..=6 if assigned_on + Duration::days(2) <= today => {
            VoucherState::Reserved { reservation: reservation(), completion_report: None }
        }
        _ => VoucherState::Assigned,
    };
    let voucher = Voucher {
        id: id.clone(),
        customer_id: customer_id.to_string(),
        enrollment_id: enrollment_number.to_owned(),
        offering,
        service_level,
        assignee_email: EmailAddress::parse(&format!("pm{customer_id}@customer.example")).expect("a valid email"),
        assigned_on,
        expires_on,
        state,
    };
    let partner_organization_id = voucher.reservation().map(|_| partner_id);
    let events = vec![VoucherEvent::Created { voucher_id: id, days_deducted: days, expires_on }];
    SeedVoucher { voucher, partner_organization_id, events }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_vouchers_cover_every_state_and_keep_the_date_rules() {
        let timeline = ProgramTimeline::published();
        let today = NaiveDate::from_ymd_opt(2021, 7, 15).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for serial in 0..2000 {
            let seed = voucher(serial, "70000000", 5, &[3, 4], "doc", &timeline, today);
            let voucher = &seed.voucher;
            seen.insert(format!("{:?}", voucher.status()));
            assert!(voucher.assigned_on <= today);
            match &voucher.state {
                VoucherState::Expired { expired_on, .. } => assert!(*expired_on <= today && voucher.expires_on < today),
                VoucherState::Reserved { reservation, .. } => {
                    assert!(voucher.expires_on >= today, "a reserved voucher is not past expiry");
                    assert!(reservation.starts_on <= voucher.expires_on);
                }
                VoucherState::Redeemed { redemption } => {
                    assert!(redemption.redeemed_on <= today && redemption.redeemed_on <= voucher.expires_on);
                    assert!(redemption.completion_report.submitted_on < redemption.redeemed_on);
                }
                VoucherState::Assigned => assert!(voucher.expires_on >= today),
                other => panic!("not generated: {other:?}"),
            }
            assert_eq!(seed.partner_organization_id.is_some(), voucher.reservation().is_some());
        }
        assert_eq!(seen.len(), 4, "{seen:?}");
    }
}
