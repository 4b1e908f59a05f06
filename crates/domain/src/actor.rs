//! Who acts (DOMAIN.md §2) and which role may take which action: the one permission table.
//!
//! Choices: the program's documents name the Global Admin and the MPN Partner Admin as the roles
//! for every partner step (enrollment, business profile, vouchers, payment registration and
//! requests), so both may take every partner action: a partner with one admin is never stuck.
//! Consultants read their company's data and file the completion report of an engagement they
//! deliver, nothing else. The customer project manager receives the voucher and takes no
//! state-changing action. Microsoft's review, approval and payment are one "program operator"
//! role (internal roles unconfirmed).

use serde::{Deserialize, Serialize};

use crate::catalog::pick;
use crate::locale::{Locale, Localize};

/// A person acting, with the organization or enrollment they act for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    PartnerGlobalAdmin { partner_id: String },
    MpnPartnerAdmin { partner_id: String },
    Consultant { partner_id: String, consultant_id: String },
    CustomerBenefitAdministrator { enrollment_id: String },
    CustomerProjectManager { enrollment_id: String },
    ProgramOperator,
}

impl Actor {
    pub fn role(&self) -> Role {
        match self {
            Actor::PartnerGlobalAdmin { .. } => Role::PartnerGlobalAdmin,
            Actor::MpnPartnerAdmin { .. } => Role::MpnPartnerAdmin,
            Actor::Consultant { .. } => Role::Consultant,
            Actor::CustomerBenefitAdministrator { .. } => Role::CustomerBenefitAdministrator,
            Actor::CustomerProjectManager { .. } => Role::CustomerProjectManager,
            Actor::ProgramOperator => Role::ProgramOperator,
        }
    }

    /// The partner organization a partner-side actor works for.
    pub fn partner_id(&self) -> Option<&str> {
        match self {
            Actor::PartnerGlobalAdmin { partner_id }
            | Actor::MpnPartnerAdmin { partner_id }
            | Actor::Consultant { partner_id, .. } => Some(partner_id),
            _ => None,
        }
    }

    /// The licensing enrollment a customer-side actor works for.
    pub fn enrollment_id(&self) -> Option<&str> {
        match self {
            Actor::CustomerBenefitAdministrator { enrollment_id } | Actor::CustomerProjectManager { enrollment_id } => {
                Some(enrollment_id)
            }
            _ => None,
        }
    }
}

/// A role, without the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    PartnerGlobalAdmin,
    MpnPartnerAdmin,
    Consultant,
    CustomerBenefitAdministrator,
    CustomerProjectManager,
    ProgramOperator,
}

impl Role {
    /// The permission table: whether this role may take `action` at all. Whether it may take it
    /// on a given voucher (its own partner's reservation, say) is checked by the transition.
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::CustomerBenefitAdministrator => matches!(action, CreateVoucher),
            Role::PartnerGlobalAdmin | Role::MpnPartnerAdmin => matches!(
                action,
                ManagePartnerProgram
                    | ReserveVoucher
                    | RescheduleEngagement
                    | CancelReservation
                    | SubmitCompletionReport
                    | RedeemVoucher
                    | RegisterPaymentProgram
                    | DraftPaymentRequest
                    | SubmitPaymentRequest
            ),
            Role::Consultant => matches!(action, SubmitCompletionReport),
            Role::ProgramOperator => matches!(
                action,
                ApprovePaymentRequest | RejectPaymentRequest | HoldPaymentRequest | ResumePaymentRequest | MarkPaid
            ),
            Role::CustomerProjectManager => false,
        }
    }
}

impl Localize for Role {
    fn message(&self, locale: Locale) -> String {
        let (en, ko) = match self {
            Role::PartnerGlobalAdmin => ("Global Admin", "전역 관리자"),
            Role::MpnPartnerAdmin => ("MPN Partner Admin", "MPN 파트너 관리자"),
            Role::Consultant => ("Consultant", "컨설턴트"),
            Role::CustomerBenefitAdministrator => ("Customer benefit administrator", "고객 혜택 관리자"),
            Role::CustomerProjectManager => ("Customer project manager", "고객 프로젝트 관리자"),
            Role::ProgramOperator => ("Microsoft program operator", "Microsoft 프로그램 운영자"),
        };
        pick(locale, en, ko)
    }
}

/// Everything a person can do to a voucher or a payment request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    CreateVoucher,
    /// Sign the agreement, enroll, keep locations, consultants and the business profile.
    ManagePartnerProgram,
    ReserveVoucher,
    RescheduleEngagement,
    CancelReservation,
    SubmitCompletionReport,
    RedeemVoucher,
    RegisterPaymentProgram,
    DraftPaymentRequest,
    SubmitPaymentRequest,
    ApprovePaymentRequest,
    RejectPaymentRequest,
    HoldPaymentRequest,
    ResumePaymentRequest,
    MarkPaid,
}

impl Localize for Action {
    fn message(&self, locale: Locale) -> String {
        let (en, ko) = match self {
            Action::CreateVoucher => ("create and assign a voucher", "바우처 생성 및 할당"),
            Action::ManagePartnerProgram => (
                "change the company's program data and business profile",
                "회사의 프로그램 정보 및 비즈니스 프로필 변경",
            ),
            Action::ReserveVoucher => ("reserve a voucher", "바우처 예약"),
            Action::RescheduleEngagement => ("reschedule the engagement", "참여 일정 변경"),
            Action::CancelReservation => ("cancel a reservation", "예약 취소"),
            Action::SubmitCompletionReport => ("submit the completion report", "완료 보고서 제출"),
            Action::RedeemVoucher => ("redeem a voucher", "바우처 상환"),
            Action::RegisterPaymentProgram => ("register the program for payment", "대금 청구 프로그램 등록"),
            Action::DraftPaymentRequest => ("prepare a payment request", "대금 청구서 작성"),
            Action::SubmitPaymentRequest => ("submit a payment request", "대금 청구서 제출"),
            Action::ApprovePaymentRequest => ("approve a payment request", "대금 청구 승인"),
            Action::RejectPaymentRequest => ("reject a payment request", "대금 청구 거부"),
            Action::HoldPaymentRequest => ("put a payment request on hold", "대금 청구 보류"),
            Action::ResumePaymentRequest => ("resume a payment request", "대금 청구 보류 해제"),
            Action::MarkPaid => ("record the payment", "대금 지급 기록"),
        };
        pick(locale, en, ko)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn only_the_customer_benefit_administrator_creates_vouchers() {
        assert!(Role::CustomerBenefitAdministrator.may(Action::CreateVoucher));
        assert!(!Role::CustomerProjectManager.may(Action::CreateVoucher));
        assert!(!Role::MpnPartnerAdmin.may(Action::CreateVoucher));
    }

    /// Every action a partner takes, in the order of the workflow.
    const PARTNER_ACTIONS: [Action; 9] = [
        Action::ManagePartnerProgram,
        Action::ReserveVoucher,
        Action::RescheduleEngagement,
        Action::CancelReservation,
        Action::SubmitCompletionReport,
        Action::RedeemVoucher,
        Action::RegisterPaymentProgram,
        Action::DraftPaymentRequest,
        Action::SubmitPaymentRequest,
    ];

    #[test]
    fn both_partner_admin_roles_take_every_partner_step() {
        for action in PARTNER_ACTIONS {
            assert!(Role::PartnerGlobalAdmin.may(action), "Global Admin: {action:?}");
            assert!(Role::MpnPartnerAdmin.may(action), "MPN Partner Admin: {action:?}");
        }
    }

    #[test]
    fn a_consultant_only_files_the_completion_report() {
        for action in PARTNER_ACTIONS {
            assert_eq!(Role::Consultant.may(action), action == Action::SubmitCompletionReport, "{action:?}");
        }
        for role in [Role::CustomerBenefitAdministrator, Role::CustomerProjectManager, Role::ProgramOperator] {
            assert!(PARTNER_ACTIONS.iter().all(|action| !role.may(*action)), "{role:?}");
        }
    }

    #[test]
    fn only_the_program_operator_approves_and_pays() {
        for role in [Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin, Role::Consultant, Role::CustomerProjectManager] {
            assert!(!role.may(Action::ApprovePaymentRequest));
            assert!(!role.may(Action::MarkPaid));
        }
        assert!(Role::ProgramOperator.may(Action::MarkPaid));
    }

    #[test]
    fn actors_carry_their_organization() {
        let actor = Actor::Consultant { partner_id: "contoso".into(), consultant_id: "c-1".into() };
        assert_eq!((actor.role(), actor.partner_id()), (Role::Consultant, Some("contoso")));
        assert_eq!(Actor::ProgramOperator.partner_id(), None);
        let json = serde_json::to_value(&actor).unwrap();
        assert_eq!(json["consultant"]["partner_id"], "contoso");
        assert_eq!(Role::MpnPartnerAdmin.message(Locale::Ko), "MPN 파트너 관리자");
    }
}
