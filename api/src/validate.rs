//! Validation rules shared by the app (to answer before a request is sent) and the server
//! (which never trusts the app). Each function returns every problem found, one per field.

use crate::{ChangePassword, ErrorCode, FieldError, LoginRequest, RegisterRequest, UpdateProfile};

/// Shortest password accepted, in characters.
pub const PASSWORD_MIN: usize = 8;
/// Longest password accepted, in characters (argon2 hashes anything, but bodies stay small).
pub const PASSWORD_MAX: usize = 128;
/// Longest email address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// Bounds of a full name, in characters.
pub const NAME_MIN: usize = 3;
pub const NAME_MAX: usize = 200;
/// Bounds of an address of residence, in characters.
pub const ADDRESS_MIN: usize = 5;
pub const ADDRESS_MAX: usize = 300;
/// Longest note staff may attach to a refusal.
pub const NOTE_MAX: usize = 1000;

/// Normalises an email for storage and comparison: trimmed, lower case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Whether `code` looks like a KATOTTG code: `UA` and 17 digits.
pub fn is_katottg(code: &str) -> bool {
    code.len() == 19 && code.starts_with("UA") && code[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Checks an email address: one `@`, a local part, a domain with a dot, no spaces.
pub fn email(field: &str, value: &str, out: &mut Vec<FieldError>) {
    let v = value.trim();
    if v.is_empty() {
        out.push(FieldError::new(field, ErrorCode::Required));
        return;
    }
    if v.chars().count() > EMAIL_MAX {
        out.push(FieldError::new(field, ErrorCode::TooLong));
        return;
    }
    let valid = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !valid {
        out.push(FieldError::new(field, ErrorCode::Invalid));
    }
}

/// Checks a new password's length. (The server also refuses the most common passwords.)
pub fn new_password(field: &str, value: &str, out: &mut Vec<FieldError>) {
    let n = value.chars().count();
    if n == 0 {
        out.push(FieldError::new(field, ErrorCode::Required));
    } else if n < PASSWORD_MIN {
        out.push(FieldError::new(field, ErrorCode::TooShort));
    } else if n > PASSWORD_MAX {
        out.push(FieldError::new(field, ErrorCode::TooLong));
    }
}

/// Checks a trimmed free-text field against character bounds.
pub fn text(field: &str, value: &str, min: usize, max: usize, out: &mut Vec<FieldError>) {
    let v = value.trim();
    let n = v.chars().count();
    if n == 0 {
        out.push(FieldError::new(field, ErrorCode::Required));
    } else if n < min {
        out.push(FieldError::new(field, ErrorCode::TooShort));
    } else if n > max {
        out.push(FieldError::new(field, ErrorCode::TooLong));
    } else if v.chars().any(|c| c.is_control()) {
        out.push(FieldError::new(field, ErrorCode::Invalid));
    }
}

/// Checks a trimmed text of several lines (an appeal, a reason, an answer) against
/// character bounds: line breaks and tabs allowed, other control characters not.
pub fn multiline(field: &str, value: &str, min: usize, max: usize, out: &mut Vec<FieldError>) {
    let v = value.trim();
    let n = v.chars().count();
    if n == 0 {
        out.push(FieldError::new(field, ErrorCode::Required));
    } else if n < min {
        out.push(FieldError::new(field, ErrorCode::TooShort));
    } else if n > max {
        out.push(FieldError::new(field, ErrorCode::TooLong));
    } else if v
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        out.push(FieldError::new(field, ErrorCode::Invalid));
    }
}

/// Checks a full name: bounds, and at least two words (surname and name), as an appeal needs.
pub fn full_name(field: &str, value: &str, out: &mut Vec<FieldError>) {
    let before = out.len();
    text(field, value, NAME_MIN, NAME_MAX, out);
    if out.len() == before && value.split_whitespace().count() < 2 {
        out.push(FieldError::new(field, ErrorCode::TooShort));
    }
}

/// Checks a hromada code's shape (whether it exists is the server's business).
pub fn hromada(field: &str, value: &str, out: &mut Vec<FieldError>) {
    if value.trim().is_empty() {
        out.push(FieldError::new(field, ErrorCode::Required));
    } else if !is_katottg(value.trim()) {
        out.push(FieldError::new(field, ErrorCode::UnknownHromada));
    }
}

/// All problems of a sign-up form.
pub fn register(r: &RegisterRequest) -> Vec<FieldError> {
    let mut out = Vec::new();
    email("email", &r.email, &mut out);
    new_password("password", &r.password, &mut out);
    full_name("full_name", &r.full_name, &mut out);
    hromada("hromada", &r.hromada, &mut out);
    text("address", &r.address, ADDRESS_MIN, ADDRESS_MAX, &mut out);
    out
}

/// All problems of a sign-in form (only presence: the server says whether it matches).
pub fn login(r: &LoginRequest) -> Vec<FieldError> {
    let mut out = Vec::new();
    if r.email.trim().is_empty() {
        out.push(FieldError::new("email", ErrorCode::Required));
    } else if r.email.chars().count() > EMAIL_MAX {
        out.push(FieldError::new("email", ErrorCode::TooLong));
    }
    if r.password.is_empty() {
        out.push(FieldError::new("password", ErrorCode::Required));
    } else if r.password.chars().count() > PASSWORD_MAX {
        out.push(FieldError::new("password", ErrorCode::TooLong));
    }
    out
}

/// All problems of a profile change.
pub fn update_profile(r: &UpdateProfile) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Some(name) = &r.full_name {
        full_name("full_name", name, &mut out);
    }
    if let Some(address) = &r.address {
        text("address", address, ADDRESS_MIN, ADDRESS_MAX, &mut out);
    }
    if let Some(code) = &r.hromada {
        hromada("hromada", code, &mut out);
    }
    if let Some(lang) = &r.language
        && !matches!(lang.as_str(), "uk" | "en")
    {
        out.push(FieldError::new("language", ErrorCode::Invalid));
    }
    if let Some(e) = &r.email {
        email("email", e, &mut out);
    }
    out
}

/// All problems of a password change.
pub fn change_password(r: &ChangePassword) -> Vec<FieldError> {
    let mut out = Vec::new();
    if r.current_password.is_empty() {
        out.push(FieldError::new("current_password", ErrorCode::Required));
    } else if r.current_password.chars().count() > PASSWORD_MAX {
        out.push(FieldError::new("current_password", ErrorCode::TooLong));
    }
    new_password("new_password", &r.new_password, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
        errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    fn good() -> RegisterRequest {
        RegisterRequest {
            email: "olena@example.com".into(),
            password: "a long enough secret".into(),
            full_name: "Олена Петренко".into(),
            hromada: "UA65100150000057191".into(),
            address: "вул. Соборна, 1, Херсон".into(),
        }
    }

    #[test]
    fn a_complete_form_passes() {
        assert!(register(&good()).is_empty());
    }

    #[test]
    fn an_empty_form_lists_every_field() {
        let errs = register(&RegisterRequest::default());
        assert_eq!(
            codes(&errs),
            vec![
                ("email", ErrorCode::Required),
                ("password", ErrorCode::Required),
                ("full_name", ErrorCode::Required),
                ("hromada", ErrorCode::Required),
                ("address", ErrorCode::Required),
            ]
        );
    }

    #[test]
    fn short_password_is_too_short_counting_characters_not_bytes() {
        let mut r = good();
        r.password = "пароль1".into(); // 7 characters, 13 bytes
        assert_eq!(
            codes(&register(&r)),
            vec![("password", ErrorCode::TooShort)]
        );
        r.password = "пароль12".into();
        assert!(register(&r).is_empty());
    }

    #[test]
    fn emails() {
        for bad in [
            "a", "a@b", "@b.c", "a@.c", "a@b.", "a b@c.d", "a@b@c.d", "a@b..c",
        ] {
            let mut out = vec![];
            email("email", bad, &mut out);
            assert_eq!(codes(&out), vec![("email", ErrorCode::Invalid)], "{bad}");
        }
        let mut out = vec![];
        email("email", " Olena@Example.COM ", &mut out);
        assert!(out.is_empty());
        assert_eq!(normalize_email(" Olena@Example.COM "), "olena@example.com");
    }

    #[test]
    fn full_name_needs_two_words() {
        let mut out = vec![];
        full_name("full_name", "Олена", &mut out);
        assert_eq!(codes(&out), vec![("full_name", ErrorCode::TooShort)]);
    }

    #[test]
    fn katottg_shape() {
        assert!(is_katottg("UA65100150000057191"));
        assert!(!is_katottg("UA6510015000005719"));
        assert!(!is_katottg("XX65100150000057191"));
        assert!(!is_katottg("UA6510015000005719Ї"));
    }

    #[test]
    fn control_characters_are_refused() {
        let mut out = vec![];
        text("address", "вул.\u{0}Соборна", 1, 100, &mut out);
        assert_eq!(codes(&out), vec![("address", ErrorCode::Invalid)]);
    }

    #[test]
    fn profile_checks_only_given_fields() {
        assert!(update_profile(&UpdateProfile::default()).is_empty());
        let r = UpdateProfile {
            address: Some("x".into()),
            ..Default::default()
        };
        assert_eq!(
            codes(&update_profile(&r)),
            vec![("address", ErrorCode::TooShort)]
        );
    }

    #[test]
    fn password_change() {
        let r = ChangePassword {
            current_password: String::new(),
            new_password: "short".into(),
        };
        assert_eq!(
            codes(&change_password(&r)),
            vec![
                ("current_password", ErrorCode::Required),
                ("new_password", ErrorCode::TooShort)
            ]
        );
    }
}
