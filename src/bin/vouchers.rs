//! The vouchers bundle: the voucher list, validation and reservation.

fn main() {
    planning_portal::app::start("vouchers", planning_portal::app::voucher_pages);
}
