//! Ukrainian to Latin letters by the official national transliteration (Resolution of the
//! Cabinet of Ministers of Ukraine No. 55 of 27 January 2010), used for English display
//! of place names and for finding them by Latin spelling.

/// Transliterates `text`; characters that are not Ukrainian letters pass unchanged, and
/// the soft sign and apostrophes are dropped.
pub fn latin(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let upper = lower != c;
        let prev = i.checked_sub(1).map(|j| chars[j]);
        // A letter starts a word when nothing letter-like stands before it.
        let word_start = prev.is_none_or(|p| !(p.is_alphabetic() || is_apostrophe(p)));
        let after_z = prev.is_some_and(|p| matches!(p, 'з' | 'З'));
        let mapped: &str = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' if after_z => "gh",
            'г' => "h",
            'ґ' => "g",
            'д' => "d",
            'е' => "e",
            'є' if word_start => "ye",
            'є' => "ie",
            'ж' => "zh",
            'з' => "z",
            'и' => "y",
            'і' => "i",
            'ї' if word_start => "yi",
            'ї' => "i",
            'й' if word_start => "y",
            'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ю' if word_start => "yu",
            'ю' => "iu",
            'я' if word_start => "ya",
            'я' => "ia",
            'ь' => "",
            c if is_apostrophe(c) => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        if upper {
            let mut m = mapped.chars();
            if let Some(first) = m.next() {
                out.extend(first.to_uppercase());
                out.push_str(m.as_str());
            }
        } else {
            out.push_str(mapped);
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | 'ʼ' | '’' | '‘' | '`')
}

/// A Ukrainian place name, in Latin letters (official transliteration) when `latin`.
pub fn place_name(name: &str, latin: bool) -> String {
    if latin {
        self::latin(name)
    } else {
        name.to_owned()
    }
}

/// Where a hromada is: "Херсонський район, Херсонська область". Kyiv and Sevastopol have
/// no raion and are not oblasts; Crimea is an autonomous republic, not an oblast.
/// `words` are the words for raion and oblast in the current language.
pub fn location(raion: &str, oblast: &str, words: (&str, &str), latin: bool) -> String {
    let (raion_word, oblast_word) = words;
    let is_oblast =
        oblast.ends_with("ська") || oblast.ends_with("цька") || oblast.ends_with("зька");
    let (raion, oblast) = (place_name(raion, latin), place_name(oblast, latin));
    let oblast = if is_oblast {
        format!("{oblast} {oblast_word}")
    } else {
        oblast
    };
    if raion.is_empty() {
        oblast
    } else {
        format!("{raion} {raion_word}, {oblast}")
    }
}

#[cfg(test)]
mod tests {
    use super::latin;

    #[test]
    fn examples_of_the_resolution() {
        for (uk, en) in [
            ("Алушта", "Alushta"),
            ("Згорани", "Zghorany"),
            ("Розгон", "Rozghon"),
            ("Єнакієве", "Yenakiieve"),
            ("Гаївка", "Haivka"),
            ("Їжакевич", "Yizhakevych"),
            ("Кадиївка", "Kadyivka"),
            ("Йосипівка", "Yosypivka"),
            ("Стрий", "Stryi"),
            ("Олексій", "Oleksii"),
            ("Юрій", "Yurii"),
            ("Корюківка", "Koriukivka"),
            ("Яготин", "Yahotyn"),
            ("Костянтин", "Kostiantyn"),
            ("Знам'янка", "Znamianka"),
            ("Феодосія", "Feodosiia"),
            ("Щербухи", "Shcherbukhy"),
            ("Гоща", "Hoshcha"),
            ("Ґалаґан", "Galagan"),
            ("Русь", "Rus"),
        ] {
            assert_eq!(latin(uk), en, "{uk}");
        }
    }

    #[test]
    fn place_names() {
        assert_eq!(latin("Херсонська"), "Khersonska");
        assert_eq!(latin("Херсонський"), "Khersonskyi");
        assert_eq!(
            latin("Автономна Республіка Крим"),
            "Avtonomna Respublika Krym"
        );
        assert_eq!(latin("Івано-Франківська"), "Ivano-Frankivska");
        assert_eq!(latin("Київ"), "Kyiv");
    }
}
