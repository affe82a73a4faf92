//! The app: contexts, the layout, and the routes.

use crate::api::provide_api;
use crate::components::layout::Layout;
use crate::i18n::*;
use crate::language::LanguageProvider;
use crate::live::provide_live;
use crate::offline::provide_offline;
use crate::pages;
use crate::pages::deferred::Deferred;
use crate::routes::*;
use crate::state::{provide_place, provide_session};
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};

/// The whole app. `api_base` is the backend's base URL from the run-time configuration;
/// `me`, who the server's first view says is signed in.
#[component]
pub fn App(api_base: String, me: Option<hromada_api::Me>) -> impl IntoView {
    provide_meta_context();
    provide_offline();
    provide_api(api_base);
    provide_session(me);
    provide_place();
    provide_live();
    view! {
        <LanguageProvider>
            <AppTitle />
            <Router>
                <Layout>
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=StaticSegment("") view={Deferred(pages::home::Home)} />
                        <Route path=StaticSegment(SEG_HROMADAS) view={Deferred(pages::hromadas::Picker)} />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"))
                            view={Deferred(pages::hromadas::HromadaHome)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF))
                            view={Deferred(pages::staff::StaffDesk)}
                        />
                        <Route path=StaticSegment(SEG_SIGN_UP) view={Deferred(pages::account::SignUp)} />
                        <Route path=StaticSegment(SEG_SIGN_IN) view={Deferred(pages::account::SignIn)} />
                        <Route path=StaticSegment(SEG_ACCOUNT) view={Deferred(pages::account::Profile)} />
                        <Route path=StaticSegment(SEG_FORGOT_PASSWORD) view={Deferred(pages::account::ForgotPassword)} />
                        <Route path=StaticSegment(SEG_RESET_PASSWORD) view={Deferred(pages::account::ResetPassword)} />
                        <Route path=StaticSegment(SEG_CONFIRM_EMAIL) view={Deferred(pages::account::ConfirmEmail)} />
                        <Route path=(StaticSegment(SEG_UNSUBSCRIBE), ParamSegment("token")) view={Deferred(pages::account::UnsubscribePage)} />
                        <Route path=StaticSegment(SEG_ADMIN) view={Deferred(pages::staff::Admin)} />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_NEWS))
                            view={Deferred(pages::news::Feed)}
                        />
                        <Route path=(StaticSegment(SEG_NEWS), ParamSegment("id")) view={Deferred(pages::news::NewsPage)} />
                        <Route
                            path=(StaticSegment(SEG_NEWS), ParamSegment("id"), StaticSegment(SEG_EDIT))
                            view={Deferred(pages::staff::NewsEditor)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_NEWS))
                            view={Deferred(pages::staff::StaffNews)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_NEWS), StaticSegment(SEG_NEW))
                            view={Deferred(pages::staff::NewsEditor)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_ALERTS))
                            view={Deferred(pages::staff::StaffAlerts)}
                        />
                        <Route path=StaticSegment(SEG_APPEALS) view={Deferred(pages::appeals::MyAppeals)} />
                        <Route path=(StaticSegment(SEG_APPEALS), ParamSegment("id")) view={Deferred(pages::appeals::AppealPage)} />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_APPEALS))
                            view={Deferred(pages::appeals::PublicAppeals)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_APPEALS), StaticSegment(SEG_NEW))
                            view={Deferred(pages::appeals::NewAppeal)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_APPEALS))
                            view={Deferred(pages::staff::StaffAppeals)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_APPEALS), StaticSegment(SEG_CATEGORIES))
                            view={Deferred(pages::staff::StaffCategories)}
                        />
                        <Route path=StaticSegment(SEG_NOTIFICATIONS) view={Deferred(pages::account::NotificationsPage)} />
                        <Route path=StaticSegment(SEG_OUTBOX) view={Deferred(pages::account::OutboxPage)} />
                        <Route path=(StaticSegment(SEG_GO), ParamSegment("shortcut")) view={Deferred(pages::account::Go)} />
                        <Route path=StaticSegment(SEG_PETITIONS) view={Deferred(pages::petitions::MyPetitions)} />
                        <Route path=(StaticSegment(SEG_PETITIONS), ParamSegment("id")) view={Deferred(pages::petitions::PetitionPage)} />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_PETITIONS))
                            view={Deferred(pages::petitions::Petitions)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_PETITIONS), StaticSegment(SEG_NEW))
                            view={Deferred(pages::petitions::NewPetition)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_PETITIONS))
                            view={Deferred(pages::staff::StaffPetitions)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_BUDGET))
                            view={Deferred(pages::budget::BudgetHome)}
                        />
                        <Route path=(StaticSegment(SEG_BUDGET), ParamSegment("cycle")) view={Deferred(pages::budget::CyclePage)} />
                        <Route path=(StaticSegment(SEG_BUDGET), ParamSegment("cycle"), StaticSegment(SEG_NEW)) view={Deferred(pages::budget::NewProject)} />
                        <Route path=(StaticSegment(SEG_BUDGET), ParamSegment("cycle"), StaticSegment(SEG_VOTE)) view={Deferred(pages::budget::Vote)} />
                        <Route path=(StaticSegment(SEG_BUDGET), ParamSegment("cycle"), StaticSegment(SEG_RESULTS)) view={Deferred(pages::budget::Results)} />
                        <Route path=(StaticSegment(SEG_PROJECTS), ParamSegment("id")) view={Deferred(pages::budget::ProjectPage)} />
                        <Route path=(StaticSegment(SEG_PROJECTS), ParamSegment("id"), StaticSegment(SEG_EDIT)) view={Deferred(pages::budget::EditProject)} />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_BUDGET))
                            view={Deferred(pages::staff::StaffBudget)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_POLLS))
                            view={Deferred(pages::polls::Polls)}
                        />
                        <Route path=(StaticSegment(SEG_POLLS), ParamSegment("id")) view={Deferred(pages::polls::PollPage)} />
                        <Route path=(StaticSegment(SEG_POLLS), ParamSegment("id"), StaticSegment(SEG_EDIT)) view={Deferred(pages::staff::PollEdit)} />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_POLLS))
                            view={Deferred(pages::staff::StaffPolls)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_POLLS), StaticSegment(SEG_NEW))
                            view={Deferred(pages::staff::PollNew)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_SERVICES))
                            view={Deferred(pages::services::Services)}
                        />
                        <Route path=(StaticSegment(SEG_SERVICES), ParamSegment("id")) view={Deferred(pages::services::ServicePage)} />
                        <Route path=(StaticSegment(SEG_SERVICES), ParamSegment("id"), StaticSegment(SEG_EDIT)) view={Deferred(pages::staff::ServiceEditor)} />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_SERVICES))
                            view={Deferred(pages::staff::StaffServices)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_SERVICES), StaticSegment(SEG_NEW))
                            view={Deferred(pages::staff::ServiceEditor)}
                        />
                        <Route path=(StaticSegment(SEG_ANSWERS), ParamSegment("id")) view={Deferred(pages::services::AnswerPage)} />
                        <Route path=(StaticSegment(SEG_ANSWERS), ParamSegment("id"), StaticSegment(SEG_EDIT)) view={Deferred(pages::staff::AnswerEditor)} />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_ANSWERS), StaticSegment(SEG_NEW))
                            view={Deferred(pages::staff::AnswerEditor)}
                        />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_ASK))
                            view={Deferred(pages::services::Ask)}
                        />
                        <Route path=StaticSegment(SEG_CONSULTATIONS) view={Deferred(pages::services::MyConsultations)} />
                        <Route path=(StaticSegment(SEG_CONSULTATIONS), ParamSegment("id")) view={Deferred(pages::services::ConsultationPage)} />
                        <Route
                            path=(StaticSegment(SEG_HROMADA), ParamSegment("katottg"), StaticSegment(SEG_STAFF), StaticSegment(SEG_CONSULTATIONS))
                            view={Deferred(pages::staff::StaffConsultations)}
                        />
                    </Routes>
                </Layout>
            </Router>
        </LanguageProvider>
    }
}

/// Every page title ends with the product's name, in the current language.
#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    let brand = move || t_string!(i18n, app.name).to_string();
    view! { <Title formatter=move |page: String| if page.is_empty() { brand() } else { format!("{page} · {}", brand()) } /> }
}
