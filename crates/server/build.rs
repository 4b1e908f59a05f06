fn main() {
    // Migrations are embedded by `sqlx::migrate!`: rebuild when one is added or changed.
    println!("cargo:rerun-if-changed=migrations");
    // Tests and `Settings::for_test` embed this checkout's path: rebuild when the build runs from
    // another checkout sharing the cargo target cache (see `scripts/lib/setup.sh`).
    println!("cargo:rerun-if-env-changed=PLANNING_CHECKOUT");
}
