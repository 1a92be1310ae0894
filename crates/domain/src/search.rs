//! Words for catalog search. Text is normalised (lower case, ё as е, words of letters and digits)
//! and each query word is cut to a stem prefix, so that a search finds the other forms of a Russian
//! word: «шахматы» finds «Шахматный клуб», «плавание» finds «Плавательная секция».

/// The searchable form of a text: lower-case words separated by single spaces.
pub fn normalize(text: &str) -> String {
    words(text).collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('ё', "е"))
}

/// The stems to look for: each query word without its ending, at most 8 words.
pub fn query_stems(query: &str) -> Vec<String> {
    words(query).take(8).map(|w| stem(&w)).collect()
}

/// Russian inflection lives in the last two or three letters; keep the front of the word. Short
/// words and words with digits are kept whole.
fn stem(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n <= 4 || chars.iter().any(|c| c.is_ascii_digit()) {
        return word.to_string();
    }
    let keep = if n <= 6 { n - 2 } else { n - 3 };
    chars[..keep].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(query: &str, title: &str) -> bool {
        let text = normalize(title);
        query_stems(query).iter().all(|s| text.contains(s.as_str()))
    }

    #[test]
    fn finds_other_forms_of_a_word() {
        assert!(finds("шахматы", "Шахматный клуб «Ладья»"));
        assert!(finds("плавание", "Плавательная секция"));
        assert!(finds("Робототехника", "Основы робототехники"));
        assert!(finds("ёлочка", "Ёлочка и елочка"));
        assert!(!finds("футбол", "Шахматный клуб"));
    }

    #[test]
    fn normalizes_punctuation_and_case() {
        assert_eq!(
            normalize("«Юный эколог»: 7-10 лет!"),
            "юный эколог 7 10 лет"
        );
    }
}
