//! The reserve bundle: validate a customer's voucher and reserve it.

fn main() {
    planning_portal::app::start("reserve", planning_portal::app::reserve_pages);
}
