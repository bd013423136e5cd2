//! The diagram as a standalone SVG image: the same scene the canvas draws,
//! with its styles and icons inside the file, so it opens anywhere (and can
//! be turned into a PNG by the browser). Deterministic: the same diagram
//! gives the same bytes.

use crate::domain::scene::Scene;
use crate::domain::validate::{Analysis, Verdict};
use std::fmt::Write;

/// The icon pictograms shipped with the app (`assets/icons.svg`).
const ICONS: &str = include_str!("../../assets/icons.svg");

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
        Category::Delivery => "#dd344c",
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
        bounds.h + 2.0 * margin + 32.0,
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
.e{{stroke:{line};stroke-width:1.6;fill:none}}.ok{{stroke:#1d8102}}.no{{stroke:#d13212;stroke-dasharray:6 4}}.part{{stroke:#b7791f;stroke-dasharray:2 3}}.l{{font-size:11px;fill:{muted}}}</style>",
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
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>\
<text class=\"t\" x=\"{}\" y=\"{}\">{}</text><text class=\"s\" x=\"{}\" y=\"{}\">{}</text>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            n(r.x + 12.0),
            n(r.y + 22.0),
            escape(&container.title),
            n(r.x + 12.0),
            n(r.y + 40.0),
            escape(&container.subtitle)
        );
    }
    for edge in &scene.edges {
        let verdict = match analysis.flow_of_edge(&edge.id).map(|f| f.verdict) {
            Some(Verdict::Reachable) => " ok",
            Some(Verdict::Partial) => " part",
            Some(Verdict::Blocked) => " no",
            None => "",
        };
        let _ = writeln!(
            out,
            "<line class=\"e{verdict}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" marker-end=\"url(#a)\"/><text class=\"l\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            n(edge.from.0),
            n(edge.from.1),
            n(edge.to.0),
            n(edge.to.1),
            n((edge.from.0 + edge.to.0) / 2.0),
            n((edge.from.1 + edge.to.1) / 2.0 - 4.0),
            escape(&edge.label)
        );
    }
    for glyph in &scene.glyphs {
        let r = glyph.rect;
        let (cx, _) = r.center();
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"12\" fill=\"{}\"/><use href=\"#{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\
<text class=\"n\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text><text class=\"s\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
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
            n(cx),
            n(r.bottom() + 16.0),
            escape(&glyph.title),
            n(cx),
            n(r.bottom() + 31.0),
            escape(&glyph.subtitle)
        );
    }
    out.push_str("</svg>\n");
    out
}
