//! Where rendered diagnostics may break a line: at a space outside `code`, nowhere else. A
//! command, a path or a name in help text is copied whole by the user; a line break inside it
//! (textwrap's default breaks after `/` and at hyphens) would make the copy wrong.

use textwrap::core::Word;

/// The words of `line` for textwrap: each ends at a run of ASCII spaces outside backticks. A
/// word longer than the width then overflows the line rather than being broken.
pub fn words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let mut previous_space = false;
    for (i, c) in line.char_indices() {
        if previous_space && c != ' ' && !in_code {
            pieces.push(Word::from(&line[start..i]));
            start = i;
        }
        if c == '`' {
            in_code = !in_code;
        }
        previous_space = c == ' ' && !in_code;
    }
    if start < line.len() {
        pieces.push(Word::from(&line[start..]));
    }
    Box::new(pieces.into_iter())
}

#[cfg(test)]
mod tests {
    use super::words;

    fn split(line: &str) -> Vec<String> {
        words(line)
            .map(|w| format!("{}{}", w.word, w.whitespace))
            .collect()
    }

    #[test]
    fn breaks_only_at_spaces_outside_code() {
        assert_eq!(
            split("run `labc seal db-credentials` and commit sealed/shop/db.yaml"),
            vec![
                "run ",
                "`labc seal db-credentials` ",
                "and ",
                "commit ",
                "sealed/shop/db.yaml"
            ]
        );
        assert_eq!(split("a  b"), vec!["a  ", "b"]);
        assert_eq!(split(""), Vec::<String>::new());
    }
}
