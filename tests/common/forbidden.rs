//! The one test oracle of what must never reach a terminal, listed independently of the
//! sanitizer's own table (and agreeing with it): C0 controls but `\n`, DEL, C1 controls, the soft
//! hyphen, bidi marks, embeddings, overrides and isolates, zero-width, word-joiner and the other
//! invisible format characters of U+2060..U+206F, line and paragraph separators, the BOM, the
//! interlinear annotation controls, tag characters and the variation selectors after them.
//! Include it with `#[path = "common/forbidden.rs"] mod forbidden;`.

#![allow(dead_code, reason = "each test binary uses a different subset")]

pub fn forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{9}'
        | '\u{b}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e0fff}'
    )
}
