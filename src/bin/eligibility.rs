//! The eligibility bundle: the partner's checklists and the editors that change them.

fn main() {
    planning_portal::app::start("eligibility", planning_portal::app::eligibility_pages);
}
