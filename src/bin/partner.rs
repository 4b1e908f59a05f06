//! The partner bundle: the deadline dashboard, eligibility, enrollment and the business profile.

fn main() {
    planning_portal::app::start("partner", planning_portal::app::partner_pages);
}
