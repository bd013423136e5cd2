//! The canvas's own text, which axe-core cannot judge inside SVG: every
//! colour pair the canvas draws text in (titles and captions on each
//! container's tint, marks on the category fills, problem badges, labels
//! on the canvas), read from assets/style.css, holds WCAG's 4.5:1 in light
//! and in dark.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug)]
struct Colour {
    r: f64,
    g: f64,
    b: f64,
    a: f64,
}

fn parse_colour(text: &str) -> Option<Colour> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        let channel = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).ok().map(f64::from);
        return Some(Colour {
            r: channel(0)?,
            g: channel(2)?,
            b: channel(4)?,
            a: 1.0,
        });
    }
    let inner = text.strip_prefix("rgba(")?.strip_suffix(')')?;
    let parts: Vec<f64> = inner
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    (parts.len() == 4).then(|| Colour {
        r: parts[0],
        g: parts[1],
        b: parts[2],
        a: parts[3],
    })
}

/// The custom properties of `:root`, each as (light, dark).
fn palette() -> BTreeMap<String, (Colour, Colour)> {
    let css = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/style.css"),
    )
    .unwrap();
    let root = css
        .split_once(":root {")
        .and_then(|(_, rest)| rest.split_once('}'))
        .map(|(body, _)| body)
        .expect("a :root block");
    let mut out = BTreeMap::new();
    for declaration in root.split(';') {
        let declaration = declaration
            .lines()
            .filter(|l| !l.trim_start().starts_with("/*") && !l.trim_end().ends_with("*/"))
            .collect::<Vec<_>>()
            .join(" ");
        let Some((name, value)) = declaration.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if !name.starts_with("--") {
            continue;
        }
        let value = value.trim();
        let pair = match value
            .strip_prefix("light-dark(")
            .and_then(|v| v.strip_suffix(')'))
        {
            Some(both) => {
                // Split at the comma between the two colours, not inside rgba().
                let mut depth = 0;
                let split = both.char_indices().find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        ',' if depth == 0 => return true,
                        _ => {}
                    }
                    false
                });
                split.and_then(|(at, _)| {
                    Some((parse_colour(&both[..at])?, parse_colour(&both[at + 1..])?))
                })
            }
            None => parse_colour(value).map(|c| (c, c)),
        };
        if let Some(pair) = pair {
            out.insert(name.to_string(), pair);
        }
    }
    out
}

/// A translucent colour laid over an opaque one.
fn over(top: Colour, under: Colour) -> Colour {
    let mix = |t: f64, u: f64| t * top.a + u * (1.0 - top.a);
    Colour {
        r: mix(top.r, under.r),
        g: mix(top.g, under.g),
        b: mix(top.b, under.b),
        a: 1.0,
    }
}

fn luminance(c: Colour) -> f64 {
    let linear = |v: f64| {
        let v = v / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b)
}

fn ratio(a: Colour, b: Colour) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn the_canvas_text_has_a_contrast_of_at_least_4_5_to_1_in_light_and_dark() {
    let colours = palette();
    let get = |name: &str| {
        colours
            .get(name)
            .copied()
            .unwrap_or_else(|| panic!("no {name} in :root"))
    };
    let white = parse_colour("#ffffff").unwrap();
    // (what, text colour, background layers from the bottom up)
    let mut pairs: Vec<(String, &str, Vec<&str>)> = Vec::new();
    for tint in [
        "--vpc-fill",
        "--public-fill",
        "--private-fill",
        "--isolated-fill",
    ] {
        for (what, text) in [
            ("container title", "--text"),
            ("container caption", "--muted"),
            ("glyph title", "--text"),
            ("glyph caption", "--muted"),
        ] {
            // A subnet's tint lies on its VPC's, which lies on the canvas.
            let mut layers = vec!["--bg", "--vpc-fill"];
            if tint != "--vpc-fill" {
                layers.push(tint);
            }
            pairs.push((format!("{what} on {tint}"), text, layers));
        }
    }
    for label in ["edge label", "relationship label", "glyph caption outside"] {
        pairs.push((label.into(), "--muted", vec!["--bg"]));
    }
    let mut checked = 0;
    for scheme in [0, 1] {
        let pick = |name: &str| {
            let (light, dark) = get(name);
            if scheme == 0 {
                light
            } else {
                dark
            }
        };
        for (what, text, layers) in &pairs {
            let background = layers
                .iter()
                .skip(1)
                .fold(pick(layers[0]), |under, layer| over(pick(layer), under));
            let contrast = ratio(pick(text), background);
            assert!(
                contrast >= 4.5,
                "{what} ({}): {contrast:.2}:1",
                if scheme == 0 { "light" } else { "dark" }
            );
            checked += 1;
        }
        // White marks on fills: the category icons and the problem badges.
        for fill in [
            "--network",
            "--compute",
            "--database",
            "--integration",
            "--security",
            "--edgeanddns",
            "--delivery",
            "--external",
            "--error",
            "--warning-fill",
        ] {
            let contrast = ratio(white, pick(fill));
            assert!(
                contrast >= 4.5,
                "white on {fill} ({}): {contrast:.2}:1",
                if scheme == 0 { "light" } else { "dark" }
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * (pairs.len() + 10));
}
