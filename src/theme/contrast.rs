//! Status colours come from the server, chosen for a web page: a pale yellow vanishes on a
//! light terminal, a navy one on a dark terminal. Each is mixed towards white or black until
//! it has a readable contrast (WCAG ratio) with the background the theme is for.

pub type Rgb = (u8, u8, u8);

/// Typical terminal backgrounds the dark and light themes are drawn for.
pub const DARK_BACKGROUND: Rgb = (30, 30, 30);
pub const LIGHT_BACKGROUND: Rgb = (255, 255, 255);

/// Large enough for coloured text that is also labelled by name (WCAG's 3:1 for UI parts).
const MIN_RATIO: f64 = 3.0;

fn luminance((r, g, b): Rgb) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// The WCAG contrast ratio of two colours, 1 (none) to 21 (black on white).
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `colour` itself when it reads well on `background`, else the nearest mix towards white
/// (on a dark background) or black (on a light one) that does.
pub fn readable(colour: Rgb, background: Rgb) -> Rgb {
    let target: Rgb = if luminance(background) < 0.5 { (255, 255, 255) } else { (0, 0, 0) };
    let mix = |from: u8, to: u8, step: u8| {
        let (from, to, step) = (u16::from(from), u16::from(to), u16::from(step));
        let mixed = (from * (10 - step) + to * step) / 10;
        u8::try_from(mixed).unwrap_or(u8::MAX)
    };
    (0..=10)
        .map(|step| (mix(colour.0, target.0, step), mix(colour.1, target.1, step), mix(colour.2, target.2, step)))
        .find(|c| ratio(*c, background) >= MIN_RATIO)
        .unwrap_or(target)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn readable_colours_are_kept_and_faint_ones_strengthened() {
        let red = (0xEF, 0x44, 0x44);
        assert_eq!(readable(red, DARK_BACKGROUND), red);
        let amber = (0xFA, 0xCC, 0x15);
        let on_light = readable(amber, LIGHT_BACKGROUND);
        assert_ne!(on_light, amber);
        assert!(ratio(on_light, LIGHT_BACKGROUND) >= MIN_RATIO);
        let navy = (0x1E, 0x1B, 0x4B);
        assert!(ratio(readable(navy, DARK_BACKGROUND), DARK_BACKGROUND) >= MIN_RATIO);
    }

    proptest! {
        #[test]
        fn every_colour_becomes_readable_on_both_backgrounds(r: u8, g: u8, b: u8) {
            for background in [DARK_BACKGROUND, LIGHT_BACKGROUND] {
                prop_assert!(ratio(readable((r, g, b), background), background) >= MIN_RATIO);
            }
        }
    }
}
