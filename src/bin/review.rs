//! The review bundle: the program operator's review queue and one request.

fn main() {
    planning_portal::app::start("review", planning_portal::app::review_pages);
}
