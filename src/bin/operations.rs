//! The operations bundle: the program operator's dashboard.

fn main() {
    planning_portal::app::start("operations", planning_portal::app::operations_pages);
}
