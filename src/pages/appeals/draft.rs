//! The appeal being written: kept in the browser as it is typed, so a reload, a crash or a
//! lost connection loses nothing; and the checks of photos before they are sent.

use crate::state::{load, store};
use hromada_api::appeals::{self, NewAppeal};
use hromada_api::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};

/// What the form holds, as stored in `localStorage` (one draft per hromada).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub kind: String,
    pub category_id: String,
    pub subject: String,
    pub text: String,
    pub location: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub full_name: String,
    pub address: String,
    pub email: String,
    pub public: bool,
    /// The `Idempotency-Key` of this appeal: kept until the server has it, so that a retry
    /// after a lost response (or a reload) never makes a second appeal.
    pub key: String,
}

fn storage_key(katottg: &str) -> String {
    format!("hromada.appeal-draft.{katottg}")
}

impl Draft {
    /// The draft kept for this hromada, if any.
    pub fn load(katottg: &str) -> Option<Self> {
        load(&storage_key(katottg))
    }

    /// Keeps the draft (an empty one is forgotten).
    pub fn save(&self, katottg: &str) {
        if self.is_blank() {
            Self::clear(katottg);
        } else {
            store(&storage_key(katottg), Some(self));
        }
    }

    /// Forgets the draft of this hromada (after sending).
    pub fn clear(katottg: &str) {
        store::<Draft>(&storage_key(katottg), None);
    }

    /// Whether nothing of the appeal itself has been written yet (contact details are
    /// filled in from the profile, so they do not count).
    pub fn is_blank(&self) -> bool {
        self.subject.trim().is_empty()
            && self.text.trim().is_empty()
            && self.location.trim().is_empty()
            && self.latitude.is_none()
    }

    /// Fills empty contact details from the profile.
    pub fn fill_contacts(&mut self, full_name: &str, address: &str, email: &str) {
        for (field, value) in [
            (&mut self.full_name, full_name),
            (&mut self.address, address),
            (&mut self.email, email),
        ] {
            if field.trim().is_empty() {
                *field = value.to_owned();
            }
        }
    }

    /// The request to send.
    pub fn to_request(&self) -> NewAppeal {
        let location = self.location.trim();
        NewAppeal {
            kind: self.kind.clone(),
            category_id: self.category_id.clone(),
            subject: self.subject.trim().to_owned(),
            text: self.text.trim().to_owned(),
            location: (!location.is_empty()).then(|| location.to_owned()),
            latitude: self.latitude,
            longitude: self.longitude,
            full_name: self.full_name.trim().to_owned(),
            address: self.address.trim().to_owned(),
            email: self.email.trim().to_owned(),
            public: self.public,
        }
    }
}

/// Characters left of the text's limit (negative when over).
pub fn chars_left(text: &str) -> i64 {
    appeals::TEXT_MAX as i64 - text.trim().chars().count() as i64
}

/// A photo the person picked, as the checks see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub name: String,
    pub media_type: String,
    pub bytes: u64,
}

/// Media types the server accepts for photos.
pub const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// Which of `picked` may join the `already` photos, and a field error for the rest (the
/// first problem found). The server checks the content again; this only saves a long
/// upload that would be refused.
pub fn accept_photos(already: usize, picked: &[Picked]) -> (Vec<usize>, Option<FieldError>) {
    let mut ok = vec![];
    let mut problem = None;
    for (i, p) in picked.iter().enumerate() {
        let code = if !PHOTO_TYPES.contains(&p.media_type.as_str()) {
            Some(ErrorCode::NotAnImage)
        } else if p.bytes > appeals::PHOTO_MAX_BYTES as u64 {
            Some(ErrorCode::TooLarge)
        } else if already + ok.len() >= appeals::PHOTOS_MAX {
            Some(ErrorCode::TooMany)
        } else {
            None
        };
        match code {
            None => ok.push(i),
            Some(c) => {
                problem.get_or_insert_with(|| FieldError::new("photos", c));
            }
        }
    }
    (ok, problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn pick(t: &str, bytes: u64) -> Picked {
        Picked {
            name: "p".into(),
            media_type: t.into(),
            bytes,
        }
    }

    #[wasm_bindgen_test]
    fn photos_are_checked_before_upload() {
        let mb = 1024 * 1024;
        let (ok, err) = accept_photos(
            0,
            &[
                pick("image/jpeg", mb),
                pick("application/pdf", mb),
                pick("image/png", 11 * mb),
            ],
        );
        assert_eq!(ok, vec![0]);
        assert_eq!(err.unwrap().code, ErrorCode::NotAnImage);
        let (ok, err) = accept_photos(4, &[pick("image/webp", mb), pick("image/jpeg", mb)]);
        assert_eq!(ok, vec![0], "a sixth photo is refused");
        assert_eq!(err.unwrap().code, ErrorCode::TooMany);
        let (ok, err) = accept_photos(0, &[pick("image/jpeg", 10 * mb)]);
        assert_eq!((ok, err), (vec![0], None), "exactly 10 MB is fine");
    }

    #[wasm_bindgen_test]
    fn drafts_survive_a_reload_and_go_when_blank() {
        let k = "UA-test-draft";
        Draft::clear(k);
        assert_eq!(Draft::load(k), None);
        let mut d = Draft {
            subject: "Яма".into(),
            ..Default::default()
        };
        d.fill_contacts("Іваненко Марія", "вул. Соборна, 3", "m@example.com");
        d.save(k);
        assert_eq!(Draft::load(k), Some(d.clone()));
        d.subject.clear();
        d.save(k);
        assert_eq!(
            Draft::load(k),
            None,
            "contact details alone are not a draft"
        );
    }

    #[wasm_bindgen_test]
    fn requests_are_trimmed_and_empty_location_is_none() {
        let d = Draft {
            subject: "  Яма  ".into(),
            location: "  ".into(),
            full_name: "Марія Іваненко ".into(),
            ..Default::default()
        };
        let r = d.to_request();
        assert_eq!(r.subject, "Яма");
        assert_eq!(r.location, None);
        assert_eq!(r.full_name, "Марія Іваненко");
        assert_eq!(chars_left("  ab "), 3_998);
    }
}
