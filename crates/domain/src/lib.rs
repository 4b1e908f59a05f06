//! Planning Services rules and wire types, shared by the browser app and the server.
//!
//! Invariants: this crate performs no I/O, reads no clock (every rule takes the date as an
//! argument) and depends on no async runtime, database or browser crate, so it compiles to
//! `wasm32-unknown-unknown` and native alike. Every rule exists here once; the app and the
//! server render its errors with the same [`Localize`] implementation, so the browser and the
//! server say the same words.

pub mod account;
pub mod actor;
pub mod api;
pub mod catalog;
pub mod document;
pub mod eligibility;
pub mod embed;
pub mod error;
pub mod listing;
pub mod locale;
pub mod parse;
pub mod payment;
pub mod profile;
pub mod qualification;
pub mod timeline;
pub mod voucher;

pub use actor::{Action, Actor, Role};
pub use catalog::{CompetencyId, CompetencyLevel, Currency, EngagementId, OfferingCode, ServiceLevel};
pub use eligibility::{check_delivery, evaluate_eligibility, EligibilityPolicy, EligibilityReport, PartnerProfile};
pub use error::{DomainError, ErrorBody, ErrorCode, ErrorView, FieldError, FieldErrors, LocalizedText};
pub use locale::{Locale, Localize};
pub use parse::{parse_date, BoundedText, CountryCode, EmailAddress, LocationId, Money, VoucherId};
pub use payment::{PaymentError, PaymentRequest, PaymentState, PaymentStatus, ReferenceNumber};
pub use timeline::{Milestone, MilestoneKind, ProgramAction, ProgramStatus, ProgramTimeline};
pub use voucher::{Voucher, VoucherError, VoucherEvent, VoucherState, VoucherStatus};

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
