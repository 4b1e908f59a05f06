//! The payments bundle: SAVB registration, payment requests and their status.

fn main() {
    planning_portal::app::start("payments", planning_portal::app::payment_pages);
}
