//! The vouchers bundle: the voucher list (filters, sort, bulk redemption, CSV).

fn main() {
    planning_portal::app::start("vouchers", planning_portal::app::voucher_pages);
}
