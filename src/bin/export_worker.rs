//! The export worker's entry point (WebAssembly only; see
//! `stackdraw::export_worker`).

#[cfg(target_arch = "wasm32")]
fn main() {
    stackdraw::export_worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("stackdraw-export runs in the browser as a web worker; use `stackdraw export` here");
    std::process::exit(2);
}
