//! The review bundle: the program operator's review queue, one request, the program dashboard.

fn main() {
    planning_portal::app::start("review", planning_portal::app::review_pages);
}
