//! The voucher bundle: one voucher's page (steps, deadlines, report and deliverable, redemption,
//! history, the widget snippet).

fn main() {
    planning_portal::app::start("voucher", planning_portal::app::voucher_detail_pages);
}
