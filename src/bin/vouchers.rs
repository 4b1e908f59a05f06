//! The vouchers bundle: the voucher list, validation and reservation, and one voucher's page.

fn main() {
    planning_portal::app::start("vouchers", planning_portal::app::voucher_pages);
}
