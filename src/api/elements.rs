//! Splits the answer of `GET /alerts` into its elements as the bytes arrive, in either shape (a
//! bare array or `{"data": [...]}`), so the list is never held whole and each alert's bytes can
//! be hashed (and skipped when already known) before anything is decoded. It finds element
//! boundaries only; decoding each element is serde's job.

use memchr::{memchr2, memchr3};

use super::ApiError;
use super::error::excerpt;

/// What an element (one alert) may weigh at most; larger is not an alert but an attack.
pub const MAX_ELEMENT_BYTES: usize = 64 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Nothing but whitespace seen yet.
    Unknown,
    Bare,
    Envelope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    None,
    /// An object or array: ends when nesting comes back to the list's depth.
    Container,
    /// A string: ends at its closing quote.
    Text,
    /// A number, `true`, `false` or `null`: ends at the next delimiter.
    Scalar,
}

/// The state of the scan between chunks.
#[derive(Debug)]
#[expect(clippy::struct_excessive_bools, reason = "independent flags of a byte scanner, each read per byte")]
pub struct Splitter {
    shape: Shape,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// The depth of the list's own elements while inside the list; 0 outside it.
    list_depth: u32,
    list_seen: bool,
    element: Element,
    /// The brackets of the container element in progress: `{}` or `[]`.
    brackets: (u8, u8),
    /// The start of an element that began in an earlier chunk.
    partial: Vec<u8>,
    /// The text of the current top-level key of an envelope (only the first bytes matter).
    key: Vec<u8>,
    key_is_data: bool,
    done: bool,
}

impl Default for Splitter {
    fn default() -> Self {
        Self {
            shape: Shape::Unknown,
            depth: 0,
            in_string: false,
            escaped: false,
            list_depth: 0,
            list_seen: false,
            element: Element::None,
            brackets: (b'{', b'}'),
            partial: Vec::new(),
            key: Vec::new(),
            key_is_data: false,
            done: false,
        }
    }
}

/// The error for an answer that is not a list at all. The splitter does not quote the answer
/// (the caller masks secrets first): the caller replaces this with `not_a_list(its first bytes)`.
pub const NOT_A_LIST: &str = "not a list";

/// Says what came instead of a list, quoting its start.
pub fn not_a_list(head: &[u8]) -> ApiError {
    let text = String::from_utf8_lossy(head);
    if text.trim_start().starts_with('<') {
        return ApiError::Decode(format!("expected JSON, got a web page: {}", excerpt(&text)));
    }
    ApiError::Decode(format!("expected a list of alerts, got: {}", excerpt(&text)))
}

impl Splitter {
    /// Scans `chunk`, handing every element completed in it to `each`.
    #[expect(clippy::too_many_lines, reason = "one state machine over bytes reads best in one piece")]
    pub fn feed(&mut self, chunk: &[u8], each: &mut impl FnMut(&[u8]) -> Result<(), ApiError>) -> Result<(), ApiError> {
        // Where the element in progress starts in this chunk (0 when it began earlier).
        let mut start = (self.element != Element::None).then_some(0);
        let mut i = 0;
        while i < chunk.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    self.capture_key(&chunk[i..=i]);
                    i += 1;
                    continue;
                }
                let Some(offset) = memchr2(b'"', b'\\', &chunk[i..]) else {
                    self.capture_key(&chunk[i..]);
                    break;
                };
                self.capture_key(&chunk[i..i + offset]);
                i += offset;
                if chunk[i] == b'\\' {
                    self.capture_key(b"\\");
                    self.escaped = true;
                    i += 1;
                    continue;
                }
                self.in_string = false;
                i += 1;
                if self.shape == Shape::Envelope && self.depth == 1 {
                    self.key_is_data = self.key == b"data";
                }
                if self.element == Element::Text && self.depth == self.list_depth {
                    self.emit(chunk, start.take(), i, each)?;
                }
                continue;
            }
            // Inside an element only quotes and its own kind of bracket matter (the other kind
            // balances by itself in valid JSON): jump to the next one.
            if self.element == Element::Container {
                let (open, close) = self.brackets;
                let Some(offset) = memchr3(b'"', open, close, &chunk[i..]) else { break };
                i += offset;
                if chunk[i] == b'"' {
                    self.in_string = true;
                    i += 1;
                    continue;
                }
            }
            let byte = chunk[i];
            if self.done {
                if !byte.is_ascii_whitespace() {
                    return Err(ApiError::Decode("trailing characters after the end of the list".into()));
                }
                i += 1;
                continue;
            }
            let at_list_level = self.list_depth > 0 && self.depth == self.list_depth;
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                    if at_list_level && self.element == Element::Scalar {
                        self.emit(chunk, start.take(), i, each)?;
                    }
                }
                b'"' => {
                    if self.shape == Shape::Unknown {
                        return Err(ApiError::Decode(NOT_A_LIST.into()));
                    }
                    self.in_string = true;
                    if self.shape == Shape::Envelope && self.depth == 1 {
                        self.key.clear();
                    }
                    if at_list_level && self.element == Element::None {
                        self.element = Element::Text;
                        start = Some(i);
                    }
                }
                b'[' | b'{' => {
                    if self.shape == Shape::Unknown {
                        self.shape = if byte == b'[' { Shape::Bare } else { Shape::Envelope };
                        self.depth = 1;
                        if byte == b'[' {
                            self.list_depth = 1;
                            self.list_seen = true;
                        }
                    } else if self.shape == Shape::Envelope
                        && self.depth == 1
                        && byte == b'['
                        && self.key_is_data
                        && !self.list_seen
                    {
                        self.depth = 2;
                        self.list_depth = 2;
                        self.list_seen = true;
                    } else {
                        if at_list_level && self.element == Element::None {
                            self.element = Element::Container;
                            self.brackets = if byte == b'{' { (b'{', b'}') } else { (b'[', b']') };
                            start = Some(i);
                        }
                        self.depth += 1;
                    }
                }
                b']' | b'}' => {
                    if self.depth == 0 {
                        return Err(ApiError::Decode(NOT_A_LIST.into()));
                    }
                    if at_list_level {
                        if self.element == Element::Scalar {
                            self.emit(chunk, start.take(), i, each)?;
                        }
                        self.list_depth = 0;
                    }
                    self.depth -= 1;
                    if self.element == Element::Container && self.depth == self.list_depth {
                        self.emit(chunk, start.take(), i + 1, each)?;
                    }
                    if self.depth == 0 {
                        self.done = true;
                    }
                }
                _ => {
                    if self.shape == Shape::Unknown {
                        return Err(ApiError::Decode(NOT_A_LIST.into()));
                    }
                    if at_list_level && self.element == Element::None {
                        self.element = Element::Scalar;
                        start = Some(i);
                    }
                }
            }
            i += 1;
        }
        if let Some(from) = start {
            if self.partial.len() + (chunk.len() - from) > MAX_ELEMENT_BYTES {
                return Err(ApiError::Decode(format!(
                    "an alert in the list is larger than {} MiB: not a list of alerts",
                    MAX_ELEMENT_BYTES >> 20
                )));
            }
            self.partial.extend_from_slice(&chunk[from..]);
        }
        Ok(())
    }

    /// Checks that the answer was a whole list; call after the last chunk.
    pub fn finish(&self) -> Result<(), ApiError> {
        match self.shape {
            Shape::Unknown => Err(ApiError::Decode("the server sent an empty answer".into())),
            _ if !self.done => Err(ApiError::Decode("the answer ended before the list did".into())),
            Shape::Envelope if !self.list_seen => {
                Err(ApiError::Decode("expected an array or {\"data\": [...]}, got an object without data".into()))
            }
            _ => Ok(()),
        }
    }

    fn capture_key(&mut self, bytes: &[u8]) {
        if self.shape == Shape::Envelope && self.depth == 1 && self.key.len() < 8 {
            self.key.extend_from_slice(&bytes[..bytes.len().min(8 - self.key.len())]);
        }
    }

    /// Hands over the element that ends at `end` in `chunk` (and began at `start`, or earlier).
    fn emit(
        &mut self,
        chunk: &[u8],
        start: Option<usize>,
        end: usize,
        each: &mut impl FnMut(&[u8]) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        self.element = Element::None;
        match start {
            Some(from) if self.partial.is_empty() => each(&chunk[from..end]),
            _ => {
                self.partial.extend_from_slice(&chunk[..end]);
                let result = each(&self.partial);
                self.partial.clear();
                result
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every element of `body` fed in chunks of `size`, as JSON values.
    fn split(body: &[u8], size: usize) -> Result<Vec<serde_json::Value>, ApiError> {
        let mut splitter = Splitter::default();
        let mut out = Vec::new();
        let quoted = |e: ApiError| if e == ApiError::Decode(NOT_A_LIST.into()) { not_a_list(body) } else { e };
        for chunk in body.chunks(size.max(1)) {
            splitter
                .feed(chunk, &mut |element| {
                    out.push(serde_json::from_slice(element).map_err(|e| ApiError::Decode(e.to_string()))?);
                    Ok(())
                })
                .map_err(quoted)?;
        }
        splitter.finish().map_err(quoted)?;
        Ok(out)
    }

    #[test]
    fn both_shapes_and_every_kind_of_element() {
        let bare = br#" [ {"a": [1, {"b": "x]}"}]}, "s\"q", 12, true, null, [] ] "#;
        let expected = serde_json::json!([{"a": [1, {"b": "x]}"}]}, "s\"q", 12, true, null, []]);
        for size in [1, 2, 3, 7, 1000] {
            assert_eq!(serde_json::Value::Array(split(bare, size).expect("splits")), expected);
        }
        let envelope = br#"{"page": {"data": [9]}, "da\"ta": [8], "data": [{"x": 1}, {"y": "]"}], "total": 2}"#;
        for size in [1, 5, 1000] {
            assert_eq!(
                split(envelope, size).expect("splits"),
                [serde_json::json!({"x": 1}), serde_json::json!({"y": "]"})]
            );
        }
        assert_eq!(split(b"[]", 1).expect("empty"), Vec::<serde_json::Value>::new());
        assert_eq!(split(br#"{"data": [], "total": 0}"#, 3).expect("empty"), Vec::<serde_json::Value>::new());
    }

    #[test]
    fn what_is_not_a_whole_list_is_said() {
        let fails = |body: &[u8]| split(body, 4).expect_err("refused").to_string();
        assert!(fails(b"").contains("empty answer"));
        assert!(fails(b"  <html><body>502 Bad Gateway</body></html>").contains("web page"));
        assert!(fails(br#"[{"a": 1}, {"b""#).contains("ended before"));
        assert!(fails(br#"{"error": "nope"}"#).contains("without data"));
        assert!(fails(b"[1] [2]").contains("trailing"));
        assert!(fails(b"42").contains("expected a list"));
    }

    #[test]
    fn a_giant_element_is_refused_before_it_is_held() {
        let mut body = b"[\"".to_vec();
        body.resize(MAX_ELEMENT_BYTES + 10, b'a');
        let error = split(&body, 1 << 16).expect_err("refused");
        assert!(error.to_string().contains("larger than"), "{error}");
    }

    proptest! {
        /// Any JSON array, in any chunking, splits into exactly serde's elements.
        #[test]
        fn agrees_with_serde(values in proptest::collection::vec(any_json(), 0..8), size in 1usize..40, envelope: bool) {
            let array = serde_json::Value::Array(values.clone());
            let body = if envelope {
                serde_json::json!({"total": values.len(), "data": array, "tail": {"data": [1]}}).to_string()
            } else {
                array.to_string()
            };
            prop_assert_eq!(split(body.as_bytes(), size).expect("splits"), values);
        }
    }

    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|n| serde_json::json!(n)),
            "[\\PC\"\\\\\\[\\]{},: ]{0,12}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                proptest::collection::hash_map("[a-z\"\\\\]{0,5}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
