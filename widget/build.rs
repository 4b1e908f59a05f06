// Rebuild when the build runs from another checkout: the cargo target cache is shared between
// clones (`scripts/lib/setup.sh`), and a file's age alone would take one clone's build for the other's.
fn main() {
    println!("cargo::rerun-if-env-changed=PLANNING_CHECKOUT");
}
