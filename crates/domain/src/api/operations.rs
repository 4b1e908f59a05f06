//! The program operator's dashboard: vouchers by state, days reserved and redeemed, payment
//! requests by status, all counted on the program date.

use serde::{Deserialize, Serialize};

use crate::payment::PaymentStatus;
use crate::voucher::VoucherStatus;

/// `GET`: the program dashboard (program operator).
pub const OPERATIONS_DASHBOARD: &str = "/api/v1/operations/dashboard";

/// How many vouchers are in one state on the program date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoucherStatusCount {
    pub status: VoucherStatus,
    pub vouchers: u32,
    /// The days these vouchers carry (their service levels).
    pub days: u32,
}

/// How many payment requests are in one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentStatusCount {
    pub status: PaymentStatus,
    pub requests: u32,
}

/// The body of `GET` [`OPERATIONS_DASHBOARD`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramDashboard {
    /// Every voucher state, in lifecycle order, including those with no voucher.
    pub vouchers_by_status: Vec<VoucherStatusCount>,
    /// Days of vouchers reserved now (scheduled, not yet redeemed).
    pub days_reserved: u32,
    /// Days delivered on redeemed vouchers (redeemed, claimed or paid), as reported.
    pub days_redeemed: u32,
    /// Every submitted status, in order (drafts are the partners' own and not counted).
    pub payments_by_status: Vec<PaymentStatusCount>,
}

impl VoucherStatus {
    /// Every state in lifecycle order.
    pub const ALL: [VoucherStatus; 6] = [
        VoucherStatus::Assigned,
        VoucherStatus::Reserved,
        VoucherStatus::Redeemed,
        VoucherStatus::Claimed,
        VoucherStatus::Paid,
        VoucherStatus::Expired,
    ];
}

impl PaymentStatus {
    /// The statuses a submitted request can be in, in order.
    pub const SUBMITTED: [PaymentStatus; 5] = [
        PaymentStatus::Submitted,
        PaymentStatus::OnHold,
        PaymentStatus::Approved,
        PaymentStatus::Rejected,
        PaymentStatus::Paid,
    ];
}
