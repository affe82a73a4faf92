//! Every path of the app, written once: [`Page`] builds links, and the router matches the
//! same segments.

/// Path segment of a hromada's pages: `/h/{katottg}`.
pub const SEG_HROMADA: &str = "h";
/// Path segment of the hromada picker.
pub const SEG_HROMADAS: &str = "hromadas";
/// Path segment of sign-up.
pub const SEG_SIGN_UP: &str = "signup";
/// Path segment of sign-in.
pub const SEG_SIGN_IN: &str = "signin";
/// Path segment of the account page.
pub const SEG_ACCOUNT: &str = "account";
/// Path segment of a hromada's staff desk: `/h/{katottg}/staff`.
pub const SEG_STAFF: &str = "staff";
/// Path segment of the administrator's page.
pub const SEG_ADMIN: &str = "admin";

/// A place in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `/`: the remembered hromada, or the picker.
    Home,
    /// `/hromadas`: find a community.
    Hromadas,
    /// `/h/{katottg}`: a community's home page.
    Hromada(String),
    /// `/h/{katottg}/staff`: the staff desk of a community.
    Staff(String),
    SignUp,
    SignIn,
    Account,
    Admin,
}

impl Page {
    /// The path of this page.
    pub fn path(&self) -> String {
        match self {
            Self::Home => "/".to_owned(),
            Self::Hromadas => format!("/{SEG_HROMADAS}"),
            Self::Hromada(k) => format!("/{SEG_HROMADA}/{k}"),
            Self::Staff(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}"),
            Self::SignUp => format!("/{SEG_SIGN_UP}"),
            Self::SignIn => format!("/{SEG_SIGN_IN}"),
            Self::Account => format!("/{SEG_ACCOUNT}"),
            Self::Admin => format!("/{SEG_ADMIN}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn paths() {
        assert_eq!(Page::Home.path(), "/");
        assert_eq!(Page::Hromada("UA1".into()).path(), "/h/UA1");
        assert_eq!(Page::Staff("UA1".into()).path(), "/h/UA1/staff");
        assert_eq!(Page::SignIn.path(), "/signin");
    }
}
