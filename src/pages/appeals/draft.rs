//! The appeal being written: kept in the browser as it is typed, so a reload, a crash or a
//! lost connection loses nothing; and the checks of photos before they are sent.

use crate::state::{load, store};
use hromada_api::appeals::NewAppeal;
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

    /// Forgets the draft an outbox delivery was made of: the appeal to `url`
    /// (`…/hromadas/{katottg}/appeals`) with this key. Returns whether it did.
    pub fn delivered(url: &str, key: &str) -> bool {
        let Some(k) = crate::offline::hromada_of(url, "appeals") else {
            return false;
        };
        match Self::load(k) {
            Some(d) if !key.is_empty() && d.key == key => {
                Self::clear(k);
                true
            }
            _ => false,
        }
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

pub use hromada_views::appeals::chars_left;

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_delivered_appeal_takes_its_draft_with_it() {
        let k = "UA-test-delivered";
        let d = Draft {
            subject: "Ліхтарі".into(),
            key: "key-1".into(),
            ..Default::default()
        };
        d.save(k);
        let url = format!("/api/v1/hromadas/{k}/appeals");
        assert!(!Draft::delivered(&url, "another-key"));
        assert!(Draft::load(k).is_some());
        assert!(Draft::delivered(&url, "key-1"));
        assert_eq!(Draft::load(k), None);
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
