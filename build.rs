//! Links the app's WebAssembly module with its relocations kept, which
//! `scripts/split-wasm.mjs` needs to split it (see src/ui/editor.rs). Only
//! that binary: the export worker is not split, and wasm-opt cannot shrink a
//! module that still carries its linking section.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=stackdraw=--emit-relocs");
    }
}
