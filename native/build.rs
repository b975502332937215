//! Node resolves the `napi_*` symbols when it loads the addon. Linux shared objects may have
//! undefined symbols by default; macOS needs to be told to look them up at load time.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "macos" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-undefined,dynamic_lookup");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
