//! The partner bundle: the deadline dashboard and enrollment.

fn main() {
    planning_portal::app::start("partner", planning_portal::app::partner_pages);
}
