//! Token classes for the export preview: enough to colour YAML, JSON and HCL
//! readably (comments, keys, strings, numbers and literals).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Plain,
    Comment,
    Key,
    String,
    Number,
    Literal,
}

impl Token {
    pub fn class(self) -> &'static str {
        match self {
            Token::Plain => "tok-plain",
            Token::Comment => "tok-comment",
            Token::Key => "tok-key",
            Token::String => "tok-string",
            Token::Number => "tok-number",
            Token::Literal => "tok-literal",
        }
    }
}

/// Splits text into classified runs; joining the runs gives the text back.
pub fn highlight(text: &str) -> Vec<(Token, String)> {
    let mut runs: Vec<(Token, String)> = Vec::new();
    let mut push = |token: Token, piece: &str| match runs.last_mut() {
        Some((last, text)) if *last == token => text.push_str(piece),
        _ => runs.push((token, piece.to_string())),
    };
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with("//") {
            push(Token::Comment, line);
            continue;
        }
        let mut rest = line;
        while !rest.is_empty() {
            let c = rest.chars().next().unwrap_or(' ');
            if c == '"' {
                let end = string_end(rest);
                let piece = &rest[..end];
                let after = rest[end..].trim_start();
                let token = if after.starts_with(':') {
                    Token::Key
                } else {
                    Token::String
                };
                push(token, piece);
                rest = &rest[end..];
            } else if c.is_ascii_digit() {
                let end = rest
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .unwrap_or(rest.len());
                push(Token::Number, &rest[..end]);
                rest = &rest[end..];
            } else if c.is_alphabetic() || c == '_' {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                let after = rest[end..].trim_start();
                let token = if ends_key(after) {
                    Token::Key
                } else if matches!(word, "true" | "false" | "null") {
                    Token::Literal
                } else {
                    Token::Plain
                };
                push(token, word);
                rest = &rest[end..];
            } else {
                let width = c.len_utf8();
                push(Token::Plain, &rest[..width]);
                rest = &rest[width..];
            }
        }
    }
    runs
}

/// Whether what follows a bare word makes it a key: a YAML mapping colon
/// (followed by a space or the line's end, so `AWS::EC2::VPC` and
/// `arn:aws:…` stay values) or an HCL `=` (not `==`).
fn ends_key(after: &str) -> bool {
    if let Some(rest) = after.strip_prefix(':') {
        rest.is_empty() || rest.starts_with(char::is_whitespace)
    } else {
        after.starts_with('=') && !after.starts_with("==")
    }
}

/// Byte length of the double-quoted string at the start of `text`.
fn string_end(text: &str) -> usize {
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return at + 1,
            '\n' => return at,
            _ => escaped = false,
        }
    }
    text.len()
}

/// The text as escaped HTML, one `<span class="tok-…">` per run: what the
/// export preview shows. The export worker writes it, so the app draws a
/// whole file with one assignment rather than an element per run.
pub fn highlight_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + text.len() / 2);
    for (token, run) in highlight(text) {
        html.push_str("<span class=\"");
        html.push_str(token.class());
        html.push_str("\">");
        html.push_str(&crate::domain::image::escape(&run));
        html.push_str("</span>");
    }
    html
}
