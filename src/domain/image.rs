//! The diagram as a standalone SVG image: the same scene the canvas draws,
//! with its styles and icons inside the file, so it opens anywhere (and can
//! be turned into a PNG by the browser). Deterministic: the same diagram
//! gives the same bytes.

use crate::domain::scene::Scene;
use crate::domain::validate::{Analysis, Verdict};
use std::fmt::Write;

/// The icon pictograms shipped with the app (`assets/icons.svg`).
const ICONS: &str = include_str!("../../assets/icons.svg");

/// AWS's icons (`assets/aws-icons/`, see its NOTICE.md), embedded whole in
/// pictures as data URIs so a picture opens anywhere.
macro_rules! aws_icons {
    ($($kind:ident),* $(,)?) => {
        &[$((
            stringify!($kind),
            include_bytes!(concat!("../../assets/aws-icons/", stringify!($kind), ".svg")),
        )),*]
    };
}
const AWS_ICONS: &[(&str, &[u8])] = aws_icons!(
    vpc,
    subnet,
    internet_gateway,
    nat_gateway,
    route_table,
    vpc_endpoint,
    vpc_peering,
    network_acl,
    load_balancer,
    ecs_cluster,
    fargate_service,
    aurora_cluster,
    rds_instance,
    elasticache_cache,
    dynamodb_table,
    sqs_queue,
    sns_topic,
    lambda_function,
    http_api,
    auto_scaling_group,
    ec2_instance,
    secret,
    web_acl,
    bastion,
    s3_bucket,
    cloudfront,
    route53_zone,
    acm_certificate,
    ecr_repository,
    internet,
    external_client,
);

fn aws_icon(kind: &str) -> Option<&'static [u8]> {
    AWS_ICONS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, bytes)| *bytes)
}

/// Standard base64 (RFC 4648 section 4), as `data:` URIs need.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

struct Palette {
    background: &'static str,
    text: &'static str,
    muted: &'static str,
    line: &'static str,
}

fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            background: "#f6f7f9",
            text: "#16191f",
            muted: "#5f6b7a",
            line: "#8d99a8",
        },
        Theme::Dark => Palette {
            background: "#0f1419",
            text: "#e6e9ed",
            muted: "#9aa5b1",
            line: "#6c7a89",
        },
    }
}

/// Text safe inside SVG elements and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn category_colour(category: crate::domain::model::Category) -> &'static str {
    use crate::domain::model::Category;
    match category {
        Category::Network | Category::EdgeAndDns => "#8c4fff",
        Category::Compute => "#ed7100",
        Category::Database => "#c925d1",
        Category::Integration => "#e7157b",
        Category::Delivery | Category::Security => "#dd344c",
        Category::External => "#232f3e",
    }
}

/// Numbers written with at most two decimals, without trailing zeros.
pub(crate) fn n(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

pub fn svg(scene: &Scene, analysis: &Analysis, theme: Theme) -> String {
    picture(scene, analysis, theme, false)
}

/// The picture for slides and reviews: the same scene, with a small legend
/// under it for the subnets' tiers and the verdicts' colours. (Pictures
/// never carry the canvas's problem badges or handles.)
pub fn presentation_svg(scene: &Scene, analysis: &Analysis, theme: Theme) -> String {
    picture(scene, analysis, theme, true)
}

/// Height of the legend band under a presentation picture.
const LEGEND_HEIGHT: f64 = 44.0;

fn picture(scene: &Scene, analysis: &Analysis, theme: Theme, legend: bool) -> String {
    let colours = palette(theme);
    let margin = 40.0;
    let bounds = scene
        .bounds
        .unwrap_or(crate::domain::model::Rect::new(0.0, 0.0, 640.0, 360.0));
    // Room for the names written under icons.
    let (x, y, w, h) = (
        bounds.x - margin,
        bounds.y - margin,
        bounds.w + 2.0 * margin,
        bounds.h + 2.0 * margin + 32.0 + if legend { LEGEND_HEIGHT } else { 0.0 },
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\">",
        n(x), n(y), n(w), n(h), n(w), n(h)
    );
    let _ = writeln!(
        out,
        "<style>.p{{fill:none;stroke:#fff;stroke-width:2.4;stroke-linecap:round;stroke-linejoin:round}}.f{{fill:#fff}}\
.t{{font-size:14px;font-weight:600;fill:{text}}}.s{{font-size:12px;fill:{muted}}}.n{{font-size:12px;font-weight:600;fill:{text}}}\
.e{{stroke:{line};stroke-width:1.6;fill:none}}.ok{{stroke:#1d8102}}.no{{stroke:#d13212;stroke-dasharray:6 4}}.part{{stroke:#b7791f;stroke-dasharray:2 3}}.l{{font-size:11px;fill:{muted}}}\
.m{{font-size:11px;fill:{muted}}}.u{{font-size:11px;fill:{muted};text-transform:uppercase;letter-spacing:0.06em}}.z{{font-size:11px;font-weight:600;fill:{muted}}}\
.k{{stroke:{muted};stroke-width:1.3;stroke-dasharray:8 5;fill:none}}.i{{font-size:11px;font-style:italic;fill:{muted}}}\
.zc{{fill:none;stroke:{muted};stroke-dasharray:3 4}}.b{{fill:rgba(9,114,211,0.09);stroke:rgba(9,114,211,0.55);stroke-width:1.2;stroke-dasharray:4 3}}</style>",
        text = colours.text,
        muted = colours.muted,
        line = colours.line
    );
    out.push_str("<defs>\n");
    if let (Some(start), Some(end)) = (ICONS.find("<symbol"), ICONS.rfind("</svg>")) {
        out.push_str(&ICONS[start..end]);
    }
    let _ = writeln!(
        out,
        "<marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"{}\"/></marker>",
        colours.line
    );
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
        n(x),
        n(y),
        n(w),
        n(h),
        colours.background
    );
    for container in &scene.containers {
        let r = container.rect;
        let (stroke, fill) = match container.tier {
            Some("public") => ("#7aa116", "rgba(122,161,22,0.08)"),
            Some("isolated") => ("#687078", "rgba(104,112,120,0.07)"),
            Some(_) => ("#147eba", "rgba(20,126,186,0.07)"),
            None => ("#8c4fff", "rgba(140,79,255,0.04)"),
        };
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
        );
        for label in container.labels() {
            write_text(&mut out, &label);
        }
        for zone in scene.zones.iter().filter(|zone| zone.vpc == container.id) {
            let z = zone.rect;
            let _ = write!(
                out,
                "<rect class=\"zc\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
                n(z.x),
                n(z.y),
                n(z.w),
                n(z.h)
            );
            write_text(&mut out, &zone.label);
        }
        out.push('\n');
    }
    for glyph in &scene.glyphs {
        for r in &glyph.band {
            let _ = writeln!(
                out,
                "<rect class=\"b\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\"/>",
                n(r.x),
                n(r.y),
                n(r.w),
                n(r.h)
            );
        }
    }
    for link in &scene.links {
        let _ = write!(
            out,
            "<path class=\"k\" d=\"{}\"/>",
            crate::domain::canvas::rounded_path(&link.path, crate::domain::canvas::CORNER_RADIUS)
        );
        write_text(&mut out, &link.label);
        out.push('\n');
    }
    for edge in &scene.edges {
        let verdict = match analysis.flow_of_edge(&edge.id).map(|f| f.verdict) {
            Some(Verdict::Reachable) => " ok",
            Some(Verdict::Partial) => " part",
            Some(Verdict::Blocked) => " no",
            None => "",
        };
        let _ = write!(
            out,
            "<path class=\"e{verdict}\" d=\"{}\" marker-end=\"url(#a)\"/>",
            crate::domain::canvas::rounded_path(&edge.path, crate::domain::canvas::CORNER_RADIUS),
        );
        write_text(&mut out, &edge.label);
        out.push('\n');
    }
    for glyph in &scene.glyphs {
        let r = glyph.rect;
        match aws_icon(glyph.kind.as_str()) {
            // As on the canvas: AWS's icon, unmodified, on a neutral tile.
            Some(icon) => {
                let inset = crate::domain::canvas::ICON_INSET;
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"12\" fill=\"#fff\" stroke=\"{}\"/>\
<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" href=\"data:image/svg+xml;base64,{}\"/>",
                    n(r.x),
                    n(r.y),
                    n(r.w),
                    n(r.h),
                    colours.line,
                    n(r.x + inset),
                    n(r.y + inset),
                    n(r.w - 2.0 * inset),
                    n(r.h - 2.0 * inset),
                    base64(icon),
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"12\" fill=\"{}\"/><use href=\"#{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    n(r.x),
                    n(r.y),
                    n(r.w),
                    n(r.h),
                    category_colour(glyph.kind.category()),
                    glyph.kind.as_str(),
                    n(r.x),
                    n(r.y),
                    n(r.w),
                    n(r.h),
                );
            }
        }
        for label in glyph.labels() {
            write_text(&mut out, &label);
        }
        out.push('\n');
    }
    if legend {
        write_legend(&mut out, (x + margin, y + h - LEGEND_HEIGHT), &colours);
    }
    out.push_str("</svg>\n");
    out
}

/// The tiers' colours (as the subnets are drawn) and the verdicts' lines,
/// in one row from `(x, y)`.
fn write_legend(out: &mut String, (x, y): (f64, f64), colours: &Palette) {
    let mut at = x;
    let _ = write!(out, "<g class=\"legend\">");
    for (name, stroke, fill) in [
        ("public subnet", "#7aa116", "rgba(122,161,22,0.08)"),
        ("private subnet", "#147eba", "rgba(20,126,186,0.07)"),
        ("isolated subnet", "#687078", "rgba(104,112,120,0.07)"),
    ] {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"14\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>\
<text class=\"m\" x=\"{}\" y=\"{}\">{name}</text>",
            n(at),
            n(y + 8.0),
            n(at + 30.0),
            n(y + 19.0),
        );
        at +=
            30.0 + crate::domain::text::width(name, crate::domain::text::Style::plain(11.0)) + 24.0;
    }
    for (name, class) in [
        ("reachable", "e ok"),
        ("partly reachable", "e part"),
        ("blocked", "e no"),
        ("not checked", "e"),
    ] {
        let _ = write!(
            out,
            "<path class=\"{class}\" d=\"M{} {}H{}\"/><text class=\"m\" x=\"{}\" y=\"{}\">{name}</text>",
            n(at),
            n(y + 15.0),
            n(at + 24.0),
            n(at + 30.0),
            n(y + 19.0),
        );
        at +=
            30.0 + crate::domain::text::width(name, crate::domain::text::Style::plain(11.0)) + 24.0;
    }
    let _ = colours;
    out.push_str("</g>\n");
}

/// A line of text where the scene put it, in the picture's classes.
fn write_text(out: &mut String, label: &crate::domain::scene::Label) {
    let class = match label.class {
        "container-title" => "t",
        "container-subtitle" => "s",
        "glyph-title" => "n",
        "container-tier" => "u",
        "zone-label" => "z",
        "link-label" => "i",
        _ => "m",
    };
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>",
        n(label.at.0),
        n(label.at.1),
        label.anchor.as_str(),
        escape(&label.text)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_the_standard_alphabet_with_padding() {
        // RFC 4648's test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn every_kind_with_an_aws_icon_has_it_embedded() {
        for kind in crate::domain::model::KindTag::ALL {
            let embedded = aws_icon(kind.as_str());
            assert_eq!(
                embedded.is_some(),
                crate::domain::scene::has_aws_icon(kind),
                "{}",
                kind.as_str()
            );
            if let Some(bytes) = embedded {
                assert!(bytes.starts_with(b"<svg"), "{}", kind.as_str());
            }
        }
    }
}
