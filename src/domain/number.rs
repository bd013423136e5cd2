//! Numbers as the canvas writes them: at most a few decimals, no trailing
//! zeros, no "-0". Integer arithmetic only, so the app's module needs none
//! of the standard library's float printing (its tables and two algorithms
//! weigh about ten kilobytes of WebAssembly).

/// `value` rounded to `places` decimals (at most 6), half away from zero.
pub fn decimal(value: f64, places: u32) -> String {
    let places = places.min(6);
    let scale = 10u64.pow(places);
    if !value.is_finite() {
        return "0".into();
    }
    // `as` saturates: values beyond ±9.2e18 / scale are clamped, far outside
    // any canvas.
    let scaled = (value * scale as f64).round() as i64;
    let magnitude = scaled.unsigned_abs();
    let (whole, fraction) = (magnitude / scale, magnitude % scale);
    let sign = if scaled < 0 { "-" } else { "" };
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{fraction:0width$}", width = places as usize);
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn writes_what_the_standard_formatting_writes_after_trimming() {
        for value in [
            0.0, -0.0, 1.0, -1.0, 0.25, -0.25, 12.5, 1234.75, -99.999, 0.004, 0.005, 1e9, 7.15625,
            -2.0e-7,
        ] {
            for places in [0, 2, 3] {
                let standard = format!("{value:.places$}", places = places as usize);
                let standard = if standard.contains('.') {
                    standard.trim_end_matches('0').trim_end_matches('.')
                } else {
                    &standard
                };
                let standard = if standard == "-0" { "0" } else { standard };
                let ours = decimal(value, places);
                // Halves may round differently (the standard rounds the exact
                // binary value); both are within half a unit of the last place.
                let unit = 10f64.powi(-(places as i32));
                let (a, b): (f64, f64) = (ours.parse().unwrap(), standard.parse().unwrap());
                assert!(
                    (a - b).abs() <= unit,
                    "{value} to {places}: {ours} vs {standard}"
                );
                assert!(
                    (a - value).abs() <= unit / 2.0 + 1e-9,
                    "{value} to {places}: {ours}"
                );
            }
        }
        assert_eq!(decimal(1234.75, 2), "1234.75");
        assert_eq!(decimal(-0.25, 2), "-0.25");
        assert_eq!(decimal(-0.001, 2), "0");
        assert_eq!(decimal(2.5, 0), "3");
        assert_eq!(decimal(0.1 + 0.2, 3), "0.3");
        assert_eq!(decimal(f64::NAN, 2), "0");
    }
}
