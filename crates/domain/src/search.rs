//! Words for catalog search. One stemmer makes the words of the documents (a program's title,
//! description and provider name) and of the queries, so that both databases index and look for
//! the same stems and find the same programs.
//!
//! Text is normalised (lower case, ё as е, words of letters and digits, without prepositions and
//! conjunctions). A Russian word loses its inflectional ending (case, number, gender, tense), so
//! that every form of it has one stem: «шахматы», «шахматам», «шахматами» are all «шахмат». Then a
//! few derivational suffixes go too, so that a noun and its adjective meet: «шахматный» is
//! «шахмат» as well, «плавание» and «плавательная» are both «плав». A query stem matches the
//! document stems it begins (the databases' prefix queries), so a half-typed «шахм» finds them too.

/// Prepositions, conjunctions and particles: in nearly every text, they would match everything.
const STOP_WORDS: &[&str] = &[
    "а", "в", "во", "да", "для", "до", "за", "и", "из", "или", "к", "как", "ко", "на", "над", "не",
    "но", "о", "об", "от", "по", "под", "при", "про", "с", "со", "у", "что",
];

/// Inflectional endings of nouns, adjectives, participles and verbs, longest first: the first
/// that the word ends with goes.
const ENDINGS: &[&str] = &[
    "иями", "ями", "ами", "ыми", "ими", "его", "ого", "ему", "ому", "иях", "ием", "ией", "иям",
    "ать", "ять", "ить", "ыть", "еть", "ее", "ие", "ые", "ое", "ей", "ий", "ый", "ой", "ем", "им",
    "ым", "ом", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею", "ев", "ов", "ье", "еи", "ии", "ям",
    "ам", "ах", "ях", "ию", "ью", "ия", "ья", "ть", "ет", "ют", "ят", "ит", "а", "е", "и", "й",
    "о", "у", "ы", "ь", "ю", "я",
];

/// Derivational suffixes left at the end of a stem, longest first: adjectives made of nouns
/// («шахматн», «детск», «техническ»), verbal nouns («плаван»), diminutives («кружок»).
const SUFFIXES: &[&str] = &[
    "ательн",
    "ительн",
    "тельн",
    "ическ",
    "ост",
    "ск",
    "ан",
    "ен",
    "ик",
    "ок",
    "ек",
    "н",
    "к",
];

/// Words this short are kept whole: «изо», «лес».
const SHORT_WORD: usize = 3;
/// The shortest stem an ending may leave («юный» is «юн»), and a suffix («детск» is «дет»).
const MIN_STEM: usize = 2;
const MIN_ROOT: usize = 3;

/// The stems of a text, in its order, repeats kept: a program's document for the index.
pub fn stems(text: &str) -> Vec<String> {
    words(text)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect()
}

/// A text's stems separated by single spaces: how a document is stored for the index.
pub fn document(text: &str) -> String {
    stems(text).join(" ")
}

/// The stems to look for: each distinct query word's stem, at most 8. Empty when the query has
/// nothing to look for (only punctuation or prepositions).
pub fn query_stems(query: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for s in stems(query) {
        if !found.contains(&s) {
            found.push(s);
        }
        if found.len() == 8 {
            break;
        }
    }
    found
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('ё', "е"))
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, 'а'..='я')
}

/// A word's stem: Russian words lose their ending, then one derivational suffix. Words in other
/// scripts, with digits, or too short are kept whole.
fn stem(word: &str) -> String {
    if word.chars().count() <= SHORT_WORD || !word.chars().all(is_cyrillic) {
        return word.to_string();
    }
    let without_ending = cut(word, ENDINGS, MIN_STEM);
    cut(without_ending, SUFFIXES, MIN_ROOT).to_string()
}

/// `word` without the first of `tails` it ends with, unless that leaves less than `min` letters
/// or no vowel.
fn cut<'a>(word: &'a str, tails: &[&str], min: usize) -> &'a str {
    for tail in tails {
        if let Some(rest) = word.strip_suffix(tail) {
            if rest.chars().count() >= min && rest.chars().any(is_vowel) {
                return rest;
            }
        }
    }
    word
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'а' | 'е' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the databases do: every query stem begins a stem of the document.
    fn finds(query: &str, title: &str) -> bool {
        let document = stems(title);
        let wanted = query_stems(query);
        !wanted.is_empty()
            && wanted
                .iter()
                .all(|q| document.iter().any(|d| d.starts_with(q.as_str())))
    }

    #[test]
    fn finds_other_forms_of_a_word() {
        assert!(finds("шахматы", "Шахматный клуб «Ладья»"));
        assert!(finds("плавание", "Плавательная секция"));
        assert!(finds("Робототехника", "Основы робототехники"));
        assert!(!finds("футбол", "Шахматный клуб"));
    }

    #[test]
    fn every_case_of_a_noun_has_one_stem() {
        for form in [
            "шахматы",
            "шахмат",
            "шахматам",
            "шахматами",
            "шахматах",
            "шахматный",
            "шахматного",
            "шахматной",
            "шахматные",
        ] {
            assert_eq!(stem(form), "шахмат", "{form}");
        }
        for form in [
            "робототехника",
            "робототехники",
            "робототехнике",
            "робототехнику",
            "робототехникой",
        ] {
            assert_eq!(stem(form), "робототехн", "{form}");
        }
        for form in [
            "плавание",
            "плавания",
            "плаванию",
            "плаванием",
            "плавательная",
        ] {
            assert_eq!(stem(form), "плав", "{form}");
        }
    }

    #[test]
    fn plurals_and_singulars_meet() {
        assert!(finds("кружки", "Кружок юного техника"));
        assert!(finds("кружок", "Кружки для младших школьников"));
        assert!(finds("занятия", "Первое занятие бесплатно"));
        assert!(finds("дети", "Детская студия"));
        assert!(finds("танцевальная студия", "Студии танцевальные"));
        assert!(finds("игры", "Игра на гитаре"));
    }

    #[test]
    fn yo_is_e() {
        assert!(finds("ёлочные", "Елочные игрушки своими руками"));
        assert!(finds("елочные", "Ёлочные игрушки"));
        assert_eq!(stem("ёлка".replace('ё', "е").as_str()), "елк");
    }

    #[test]
    fn a_half_typed_word_finds_its_forms() {
        assert!(finds("шахм", "Шахматный клуб"));
        assert!(finds("роб", "Основы робототехники"));
    }

    #[test]
    fn every_query_word_must_be_found() {
        assert!(finds("шахматы для детей", "Шахматный клуб для детей"));
        assert!(!finds("шахматы плавание", "Шахматный клуб"));
    }

    #[test]
    fn prepositions_are_not_searched() {
        assert_eq!(query_stems("для и в на"), Vec::<String>::new());
        assert_eq!(query_stems("шахматы для детей"), vec!["шахмат", "дет"]);
    }

    #[test]
    fn latin_words_and_numbers_are_kept_whole() {
        assert_eq!(
            stems("LEGO Education 3D-моделирование"),
            vec!["lego", "education", "3d", "моделиров"]
        );
        assert!(finds("3D", "3D-моделирование"));
    }

    #[test]
    fn short_words_are_kept() {
        assert_eq!(stem("изо"), "изо");
        assert_eq!(stem("бокс"), "бокс");
        assert_eq!(stem("игра"), "игр");
    }

    #[test]
    fn query_stems_are_distinct_and_at_most_eight() {
        assert_eq!(query_stems("шахматы шахматный"), vec!["шахмат"]);
        assert_eq!(
            query_stems("один два три четыре пять шесть семь восемь девять").len(),
            8
        );
    }

    #[test]
    fn a_document_is_its_stems_by_single_spaces() {
        assert_eq!(document("«Юный эколог»: 7-10 лет!"), "юн эколог 7 10 лет");
    }
}
