//! Demo data, created on first start in an empty database: two partners (one eligible for
//! several engagements, one missing a competency), two customers, the program operator, and a
//! user for every role. The start-up banner lists these sign-ins.

use crate::auth;
use crate::clock::wall_time;
use crate::store::accounts::{NewMember, NewOrganization};
use crate::store::Store;
use planning_domain::account::{OrganizationKind, Password};
use planning_domain::Role;

/// The password of every demo user. Documented in the README; never use it elsewhere.
pub const DEMO_PASSWORD: &str = "planning-demo-2021";

pub struct DemoOrganization {
    pub name: &'static str,
    pub kind: OrganizationKind,
    pub country: &'static str,
}

pub struct DemoUser {
    pub email: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub role_label: &'static str,
    pub organization: &'static str,
}

pub const DEMO_ORGANIZATIONS: &[DemoOrganization] = &[
    DemoOrganization { name: "Contoso Consulting", kind: OrganizationKind::Partner, country: "KR" },
    DemoOrganization { name: "Fabrikam Advisory", kind: OrganizationKind::Partner, country: "US" },
    DemoOrganization { name: "Northwind Traders", kind: OrganizationKind::Customer, country: "KR" },
    DemoOrganization { name: "Woodgrove Bank", kind: OrganizationKind::Customer, country: "US" },
    DemoOrganization {
        name: "Microsoft Planning Services operations",
        kind: OrganizationKind::ProgramOperator,
        country: "US",
    },
];

pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        email: "ga@contoso.example",
        display_name: "Minji Kim",
        role: Role::PartnerGlobalAdmin,
        role_label: "partner Global Admin",
        organization: "Contoso Consulting",
    },
    DemoUser {
        email: "admin@contoso.example",
        display_name: "Joon-ho Park",
        role: Role::MpnPartnerAdmin,
        role_label: "MPN Partner Admin",
        organization: "Contoso Consulting",
    },
    DemoUser {
        email: "consultant@contoso.example",
        display_name: "Seo-yeon Lee",
        role: Role::Consultant,
        role_label: "consultant",
        organization: "Contoso Consulting",
    },
    DemoUser {
        email: "ga@fabrikam.example",
        display_name: "Alex Rivera",
        role: Role::PartnerGlobalAdmin,
        role_label: "partner Global Admin",
        organization: "Fabrikam Advisory",
    },
    DemoUser {
        email: "admin@fabrikam.example",
        display_name: "Sam Taylor",
        role: Role::MpnPartnerAdmin,
        role_label: "MPN Partner Admin",
        organization: "Fabrikam Advisory",
    },
    DemoUser {
        email: "benefits@northwind.example",
        display_name: "Hye-jin Choi",
        role: Role::CustomerBenefitAdministrator,
        role_label: "customer benefit administrator",
        organization: "Northwind Traders",
    },
    DemoUser {
        email: "pm@northwind.example",
        display_name: "Dong-hyun Jung",
        role: Role::CustomerProjectManager,
        role_label: "customer project manager",
        organization: "Northwind Traders",
    },
    DemoUser {
        email: "benefits@woodgrove.example",
        display_name: "Jordan Blake",
        role: Role::CustomerBenefitAdministrator,
        role_label: "customer benefit administrator",
        organization: "Woodgrove Bank",
    },
    DemoUser {
        email: "pm@woodgrove.example",
        display_name: "Casey Morgan",
        role: Role::CustomerProjectManager,
        role_label: "customer project manager",
        organization: "Woodgrove Bank",
    },
    DemoUser {
        email: "operator@microsoft.example",
        display_name: "Robin Chen",
        role: Role::ProgramOperator,
        role_label: "program operator",
        organization: "Microsoft Planning Services operations",
    },
];

const DEMO_MARKER: &str = "demo_data_seeded_at";

/// Creates the demo data if the database has no organization yet, in one transaction.
/// Returns whether the database holds the demo data (seeded now or earlier).
pub async fn seed_demo_data_if_empty(
    store: &dyn Store,
    timeline: &planning_domain::ProgramTimeline,
    documents_dir: &std::path::Path,
) -> anyhow::Result<bool> {
    if store.has_organizations().await? {
        return Ok(store.meta(DEMO_MARKER).await?.is_some());
    }
    let password = Password::parse_new(DEMO_PASSWORD).expect("the demo password meets the policy");
    let password_hash = auth::hash_password(&password).await?;
    let now = wall_time();
    let organizations = DEMO_ORGANIZATIONS
        .iter()
        .map(|organization| {
            let members = DEMO_USERS
                .iter()
                .filter(|user| user.organization == organization.name)
                .map(|user| NewMember {
                    email: user.email.to_owned(),
                    display_name: user.display_name.to_owned(),
                    role: user.role,
                    password_hash: password_hash.clone(),
                    created_at: now,
                })
                .collect();
            let record = NewOrganization {
                kind: organization.kind,
                name: organization.name.to_owned(),
                country: organization.country.to_owned(),
                created_at: now,
            };
            (record, members)
        })
        .collect();
    store.seed_organizations(organizations, (DEMO_MARKER, &now.to_rfc3339())).await?;
    crate::seed_partners::seed_partner_programs(store).await?;
    crate::seed_vouchers::seed_customer_data(store, timeline, documents_dir).await?;
    crate::seed_payments::seed_payment_data(store, timeline).await?;
    tracing::info!(organizations = DEMO_ORGANIZATIONS.len(), users = DEMO_USERS.len(), "demo data created");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_user_belongs_to_a_demo_organization_of_the_right_kind() {
        for user in DEMO_USERS {
            let organization = DEMO_ORGANIZATIONS.iter().find(|organization| organization.name == user.organization);
            let organization = organization.unwrap_or_else(|| panic!("{} has no organization", user.email));
            assert_eq!(OrganizationKind::of(user.role), organization.kind, "{}", user.email);
        }
    }

    #[test]
    fn every_role_has_a_demo_user() {
        for kind in [OrganizationKind::Partner, OrganizationKind::Customer, OrganizationKind::ProgramOperator] {
            for role in kind.roles() {
                assert!(DEMO_USERS.iter().any(|user| user.role == *role), "{role:?}");
            }
        }
    }
}
