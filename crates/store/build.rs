//! `sqlx::migrate!` embeds the migrations at compile time; without this, cargo would not
//! rebuild the store when only a migration file changed.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
