//! Fuzzes the decoders of untrusted input (share links, the binary form,
//! diagram files) with 100,000+ cases: random bytes and mutations of valid
//! inputs. Every case must return (Ok or Err) without panicking, quickly.
//! Prints how many cases ran, how many decoded, and the slowest case.
//!
//!   cargo bench --bench fuzz_decoders [-- CASES]

use stackdraw::domain::codec::link::{decode_link, encode_link, fragment};
use stackdraw::domain::codec::{decode_file, encode_file, wire, Limits};
use stackdraw::domain::templates;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// xorshift64*: deterministic, so a failing case can be replayed by number.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(5) {
            0 if !out.is_empty() => {
                let at = rng.below(out.len());
                out[at] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let cut = rng.below(out.len());
                out.truncate(cut);
            }
            2 => {
                let at = rng.below(out.len() + 1);
                out.insert(at, rng.next() as u8);
            }
            3 if !out.is_empty() => {
                let at = rng.below(out.len());
                out[at] = [0x00, 0x7f, 0x80, 0xff][rng.below(4)];
            }
            _ => {
                let at = rng.below(out.len() + 1);
                let run: Vec<u8> = (0..rng.below(16)).map(|_| 0xff).collect();
                out.splice(at..at, run);
            }
        }
    }
    out
}

fn main() {
    let cases: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let three_tier = templates::by_name("three-tier")
        .map(|t| t.build())
        .unwrap_or_else(templates::seed);
    let seeds = [templates::seed(), three_tier, templates::generated(60)];
    let payloads: Vec<Vec<u8>> = seeds.iter().map(wire::encode).collect();
    let links: Vec<String> = seeds.iter().map(encode_link).collect();
    let files: Vec<String> = seeds.iter().map(encode_file).collect();
    // CloudFormation the exporter wrote, YAML and JSON, for the importer.
    let analysis = stackdraw::domain::validate::analyze(&seeds[0]);
    let templates_written: Vec<String> = [
        stackdraw::domain::export::Format::CloudFormationYaml,
        stackdraw::domain::export::Format::CloudFormationJson,
    ]
    .into_iter()
    .filter_map(|format| {
        stackdraw::domain::export::bundle(&seeds[0], &analysis, format)
            .into_iter()
            .find(|f| f.path.starts_with("cloudformation"))
            .map(|f| f.contents)
    })
    .collect();
    let import_options = stackdraw::domain::import::Options::default();
    // The Terraform module the exporter wrote, and a zip of it.
    let module: Vec<(String, String)> = stackdraw::domain::export::bundle(
        &seeds[0],
        &analysis,
        stackdraw::domain::export::Format::Terraform,
    )
    .into_iter()
    .filter(|f| f.path.ends_with(".tf"))
    .map(|f| (f.path, f.contents))
    .collect();
    let zipped = stackdraw::domain::export::zip::archive(
        &module
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
            .collect::<Vec<_>>(),
    );
    // Review links: each seed against a version of it with one node less
    // and one renamed, so the delta holds both copies and additions.
    let reviews: Vec<(Vec<u8>, String)> = seeds
        .iter()
        .map(|old| {
            let mut new = old.clone();
            new.nodes.pop();
            if let Some(node) = new.nodes.first_mut() {
                node.name.push_str(" (renamed)");
            }
            (
                stackdraw::domain::codec::review::payload(old, &new),
                stackdraw::domain::codec::review::encode_link(old, &new),
            )
        })
        .collect();
    let compressed: Vec<Vec<u8>> = payloads
        .iter()
        .map(|p| miniz_oxide::deflate::compress_to_vec(p, 10))
        .collect();

    let mut rng = Rng(0x5eed_5eed_5eed_5eed);
    let (mut decoded, mut panics) = (0usize, Vec::new());
    let mut slowest = (Duration::ZERO, 0usize, "");
    let started = Instant::now();
    for case in 0..cases {
        let pick = rng.below(seeds.len());
        let (kind, outcome, took) = {
            let start = Instant::now();
            let (kind, result) = match case % 5 {
                // One case in forty: the module with one file mutated,
                // imported; one in twenty: a mutated zip of it, unpacked.
                _ if case % 40 == 9 => {
                    let at = case / 40 % module.len();
                    let mut files = module.clone();
                    files[at].1 =
                        String::from_utf8_lossy(&mutate(&mut rng, files[at].1.as_bytes()))
                            .into_owned();
                    (
                        "terraform",
                        catch_unwind(AssertUnwindSafe(|| {
                            stackdraw::domain::import::import_terraform(&files, &import_options)
                                .is_ok()
                        })),
                    )
                }
                _ if case % 20 == 14 => {
                    let bytes = mutate(&mut rng, &zipped);
                    (
                        "zip",
                        catch_unwind(AssertUnwindSafe(|| {
                            stackdraw::domain::import::unzip::files(
                                &bytes,
                                stackdraw::domain::import::MAX_BYTES,
                                |_| true,
                            )
                            .is_ok()
                        })),
                    )
                }
                // One case in twenty: a mutated review payload; one in
                // forty: a mutated review link.
                _ if case % 20 == 4 => {
                    let bytes = mutate(&mut rng, &reviews[pick].0);
                    (
                        "review (payload)",
                        catch_unwind(|| {
                            stackdraw::domain::codec::review::from_payload(&bytes).is_ok()
                        }),
                    )
                }
                _ if case % 40 == 29 => {
                    let text =
                        String::from_utf8_lossy(&mutate(&mut rng, reviews[pick].1.as_bytes()))
                            .into_owned();
                    (
                        "review (link)",
                        catch_unwind(|| {
                            stackdraw::domain::codec::review::decode_link(&text).is_ok()
                        }),
                    )
                }
                // One case in twenty: a mutated template, imported (an
                // import lays the diagram out, so it costs more per case).
                _ if case % 20 == 19 => {
                    let written = &templates_written[case / 20 % templates_written.len()];
                    let text =
                        String::from_utf8_lossy(&mutate(&mut rng, written.as_bytes())).into_owned();
                    (
                        "template",
                        catch_unwind(AssertUnwindSafe(|| {
                            stackdraw::domain::import::import_cloudformation(
                                "t",
                                &text,
                                &import_options,
                            )
                            .is_ok()
                        })),
                    )
                }
                0 => {
                    let bytes = mutate(&mut rng, &payloads[pick]);
                    (
                        "binary",
                        catch_unwind(|| wire::decode(&bytes, &Limits::default()).is_ok()),
                    )
                }
                1 => {
                    let bytes = mutate(&mut rng, &compressed[pick]);
                    (
                        "link (compressed bytes)",
                        catch_unwind(|| decode_link(&fragment(&bytes)).is_ok()),
                    )
                }
                2 => {
                    let text = String::from_utf8_lossy(&mutate(&mut rng, links[pick].as_bytes()))
                        .into_owned();
                    ("link (text)", catch_unwind(|| decode_link(&text).is_ok()))
                }
                3 => {
                    let text = String::from_utf8_lossy(&mutate(&mut rng, files[pick].as_bytes()))
                        .into_owned();
                    ("file", catch_unwind(|| decode_file(&text).is_ok()))
                }
                _ => {
                    let bytes: Vec<u8> = (0..rng.below(512)).map(|_| rng.next() as u8).collect();
                    (
                        "random bytes",
                        catch_unwind(AssertUnwindSafe(|| {
                            wire::decode(&bytes, &Limits::default()).is_ok()
                                | decode_link(&fragment(&bytes)).is_ok()
                                | decode_file(&String::from_utf8_lossy(&bytes)).is_ok()
                        })),
                    )
                }
            };
            (kind, result, start.elapsed())
        };
        match outcome {
            Ok(true) => decoded += 1,
            Ok(false) => {}
            Err(_) => panics.push((case, kind)),
        }
        if took > slowest.0 {
            slowest = (took, case, kind);
        }
    }
    println!(
        "fuzzed the decoders (diagram and review links among them), the CloudFormation and Terraform importers and the zip reader: {cases} cases in {:.1} s, {decoded} decoded to a diagram, {} refused, {} panicked; slowest case {:.2} ms (#{}, {})",
        started.elapsed().as_secs_f64(),
        cases - decoded - panics.len(),
        panics.len(),
        slowest.0.as_secs_f64() * 1e3,
        slowest.1,
        slowest.2
    );
    if !panics.is_empty() {
        eprintln!("panicking cases: {panics:?}");
        std::process::exit(1);
    }
}
