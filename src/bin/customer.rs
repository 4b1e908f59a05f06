//! The customer bundle: the Planning Services benefit (pools, voucher creation) and the directory.

fn main() {
    planning_portal::app::start("customer", planning_portal::app::customer_pages);
}
