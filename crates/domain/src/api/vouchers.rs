//! Customer and voucher wire types and paths: benefit activation, pools, vouchers, reports, redemption.
