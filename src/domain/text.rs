//! How wide the canvas's text is drawn, so the scene can keep text clear of
//! other text and of lines without a browser.
//!
//! The canvas's font is `system-ui`. The widths below are the advance widths
//! of DejaVu Sans and DejaVu Sans Bold (in thousandths of an em, for the
//! printable ASCII characters, read from the fonts' `hmtx` tables), which is
//! what `system-ui` resolves to on Debian, where the browser tests run.
//! DejaVu Sans is wider than the other platforms' interface fonts (Segoe UI,
//! San Francisco, Roboto, Helvetica), so a layout that is clear with these
//! widths stays clear with theirs; the browser tests judge the real thing.
//! Characters outside ASCII count as a full em.

use crate::domain::model::Rect;

/// Advance widths of ' ' (32) to '~' (126), regular.
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// The same characters, bold (the canvas's weight 600 draws as bold).
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/// A style of text the canvas draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    pub size: f64,
    pub bold: bool,
    /// Extra space after each character, in em (CSS `letter-spacing`).
    pub spacing: f64,
    /// Drawn in capitals (CSS `text-transform: uppercase`).
    pub uppercase: bool,
}

impl Style {
    pub const fn plain(size: f64) -> Style {
        Style {
            size,
            bold: false,
            spacing: 0.0,
            uppercase: false,
        }
    }

    pub const fn bold(size: f64) -> Style {
        Style {
            size,
            bold: true,
            spacing: 0.0,
            uppercase: false,
        }
    }
}

/// The width of `text` drawn in `style`, in canvas units.
pub fn width(text: &str, style: Style) -> f64 {
    let table = if style.bold { &BOLD } else { &REGULAR };
    let mut thousandths = 0.0;
    let mut count = 0usize;
    for c in text.chars() {
        let c = if style.uppercase {
            c.to_ascii_uppercase()
        } else {
            c
        };
        let code = c as u32;
        thousandths += if (32..127).contains(&code) {
            f64::from(table[(code - 32) as usize])
        } else {
            1000.0
        };
        count += 1;
    }
    (thousandths / 1000.0 + style.spacing * count as f64) * style.size
}

/// How text sits on its baseline, as the `text-anchor` attribute says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// The box a line of text covers when drawn at (`x`, `baseline`): from the
/// font's ascent above the baseline to its descent below (DejaVu Sans:
/// 0.928 and 0.236 em).
pub fn text_box(text: &str, style: Style, x: f64, baseline: f64, anchor: Anchor) -> Rect {
    let w = width(text, style);
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    line_box(left, baseline, w, style)
}

/// The box of one line of text `w` wide, from `left`, on `baseline`.
pub fn line_box(left: f64, baseline: f64, w: f64, style: Style) -> Rect {
    let top = baseline - 0.93 * style.size;
    Rect::new(left, top, w, 1.17 * style.size)
}
