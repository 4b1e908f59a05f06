//! Who is signed in: restored at start when this browser signed in before, set by signing in,
//! cleared by signing out or by the server answering that the session has ended.

use leptos::prelude::*;
use planning_domain::api::{CurrentUser, Session};
use planning_domain::Role;

use crate::api;

/// Remembers in `localStorage` that this browser holds a session cookie, so a signed-out visit
/// does not ask the server (and log a 401) on every page load.
const SIGNED_IN_HINT: &str = "portal.signed-in";

#[derive(Debug, Clone, Copy)]
pub struct SessionContext {
    session: RwSignal<Option<Session>>,
    ready: RwSignal<bool>,
}

impl SessionContext {
    /// The signed-in user (tracked).
    pub fn user(&self) -> Option<CurrentUser> {
        self.session.with(|session| session.as_ref().map(|session| session.user.clone()))
    }

    pub fn role(&self) -> Option<Role> {
        self.session.with(|session| session.as_ref().map(|session| session.user.role))
    }

    /// Whether the session may only set up two-step sign-in (the server requires it of the role).
    pub fn must_enrol(&self) -> bool {
        self.session.with(|session| session.as_ref().is_some_and(|session| session.must_enrol_totp))
    }

    /// Whether the user signs in in two steps.
    pub fn totp_enabled(&self) -> bool {
        self.session.with(|session| session.as_ref().is_some_and(|session| session.totp_enabled))
    }

    /// The reader set up (`on`) or turned off their second factor; once set up, the session
    /// may do everything its role may.
    pub fn second_factor_set(&self, on: bool) {
        self.session.update(|session| {
            if let Some(session) = session {
                session.must_enrol_totp &= !on;
                session.totp_enabled = on;
            }
        });
    }

    /// Whether the session is known (restored or known absent).
    pub fn ready(&self) -> bool {
        self.ready.get()
    }

    pub fn signed_in(&self, session: Session) {
        api::set_csrf_token(Some(session.csrf_token.clone()));
        set_hint(true);
        self.session.set(Some(session));
        self.ready.set(true);
    }

    pub fn signed_out(&self) {
        api::set_csrf_token(None);
        set_hint(false);
        self.session.set(None);
        self.ready.set(true);
    }
}

pub fn provide_session() {
    let context = SessionContext { session: RwSignal::new(None), ready: RwSignal::new(false) };
    provide_context(context);
    if hint() {
        leptos::task::spawn_local(async move {
            match api::get_session().await {
                Ok(session) => context.signed_in(session),
                Err(_) => context.signed_out(),
            }
        });
    } else {
        context.ready.set(true);
    }
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

/// The reader's own account page (password, two-step sign-in).
pub const ACCOUNT_PAGE: &str = "/account";

/// Every role: for pages any signed-in reader may open (the server scopes what each sees).
pub const EVERY_ROLE: &[Role] = &[
    Role::PartnerGlobalAdmin,
    Role::MpnPartnerAdmin,
    Role::Consultant,
    Role::CustomerBenefitAdministrator,
    Role::CustomerProjectManager,
    Role::ProgramOperator,
];

/// Where a role starts after signing in.
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::PartnerGlobalAdmin | Role::MpnPartnerAdmin | Role::Consultant => "/partner",
        Role::CustomerBenefitAdministrator | Role::CustomerProjectManager => "/customer",
        Role::ProgramOperator => "/review",
    }
}

/// Whether the role belongs to a partner organization.
pub fn is_partner(role: Role) -> bool {
    matches!(role, Role::PartnerGlobalAdmin | Role::MpnPartnerAdmin | Role::Consultant)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|window| window.local_storage().ok().flatten())
}

fn hint() -> bool {
    storage().and_then(|storage| storage.get_item(SIGNED_IN_HINT).ok().flatten()).is_some()
}

fn set_hint(signed_in: bool) {
    if let Some(storage) = storage() {
        let _ = if signed_in { storage.set_item(SIGNED_IN_HINT, "1") } else { storage.remove_item(SIGNED_IN_HINT) };
    }
}
