//! Reading and writing diagrams: the file format (and, later, share links).
//! Decoding untrusted text returns `Err` with a message a person can act on;
//! it never panics.

mod file;
pub mod link;
pub mod review;
pub mod wire;

pub use file::{
    consistency_problems, decode_file, decode_file_with, encode_file, FileError, Limits, Problem,
};
