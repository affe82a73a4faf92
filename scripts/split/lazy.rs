//! The app's routes as wasm split points, for `scripts/split-report.sh` only: that script
//! copies the app to a temporary folder, puts this file in as `src/pages/lazy.rs` and
//! points every route at it, to measure what per-page or per-section splitting would
//! give. It is not part of the app's build.

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// A chunk that could not be fetched.
#[derive(Debug, Clone, Copy)]
pub struct ChunkMissing;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Self
    }
}

/// For each page: a [`LazyRoute`] type and its split point in the chunk named first.
macro_rules! lazy_pages {
    ($( $chunk:ident : $route:ident ( $load:ident ) => $($view:ident)::+ ; )*) => {
        $(
            pub struct $route;

            #[leptos::wasm_split::wasm_split(
                $chunk,
                wasm_split_path = ::leptos::wasm_split,
                fallible
            )]
            fn $load() -> Result<AnyView, ChunkMissing> {
                Ok(view! { <$($view)::+ /> }.into_any())
            }

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_: Self) -> AnyView {
                    $load().await.unwrap_or_else(|_| ().into_any())
                }
            }
        )*
    };
}

use crate::pages::{
    account, appeals, budget, home, hromadas, news, petitions, polls, services, staff,
};

lazy_pages! {
    home: HomeRoute(home_view) => home::Home;
    home: PickerRoute(picker_view) => hromadas::Picker;
    home: HromadaRoute(hromada_view) => hromadas::HromadaHome;
    staff: StaffDeskRoute(staff_desk_view) => staff::StaffDesk;
    account: SignUpRoute(sign_up_view) => account::SignUp;
    account: SignInRoute(sign_in_view) => account::SignIn;
    account: AccountRoute(account_view) => account::Profile;
    staff: AdminRoute(admin_view) => staff::Admin;
    news: FeedRoute(feed_view) => news::Feed;
    news: NewsItemRoute(news_item_view) => news::NewsPage;
    staff: NewsEditorRoute(news_editor_view) => staff::NewsEditor;
    staff: StaffNewsRoute(staff_news_view) => staff::StaffNews;
    staff: StaffAlertsRoute(staff_alerts_view) => staff::StaffAlerts;
    appeals: MyAppealsRoute(my_appeals_view) => appeals::MyAppeals;
    appeals: AppealRoute(appeal_view) => appeals::AppealPage;
    appeals: PublicAppealsRoute(public_appeals_view) => appeals::PublicAppeals;
    appeals: NewAppealRoute(new_appeal_view) => appeals::NewAppeal;
    staff: StaffAppealsRoute(staff_appeals_view) => staff::StaffAppeals;
    staff: StaffCategoriesRoute(staff_categories_view) => staff::StaffCategories;
    account: NotificationsRoute(notifications_view) => account::NotificationsPage;
    account: OutboxRoute(outbox_view) => account::OutboxPage;
    account: GoRoute(go_view) => account::Go;
    petitions: MyPetitionsRoute(my_petitions_view) => petitions::MyPetitions;
    petitions: PetitionRoute(petition_view) => petitions::PetitionPage;
    petitions: PetitionsRoute(petitions_view) => petitions::Petitions;
    petitions: NewPetitionRoute(new_petition_view) => petitions::NewPetition;
    staff: StaffPetitionsRoute(staff_petitions_view) => staff::StaffPetitions;
    budget: BudgetRoute(budget_view) => budget::BudgetHome;
    budget: CycleRoute(cycle_view) => budget::CyclePage;
    budget: NewProjectRoute(new_project_view) => budget::NewProject;
    budget: VoteRoute(vote_view) => budget::Vote;
    budget: ResultsRoute(results_view) => budget::Results;
    budget: ProjectRoute(project_view) => budget::ProjectPage;
    budget: EditProjectRoute(edit_project_view) => budget::EditProject;
    staff: StaffBudgetRoute(staff_budget_view) => staff::StaffBudget;
    polls: PollsRoute(polls_view) => polls::Polls;
    polls: PollRoute(poll_view) => polls::PollPage;
    staff: PollEditRoute(poll_edit_view) => staff::PollEdit;
    staff: StaffPollsRoute(staff_polls_view) => staff::StaffPolls;
    staff: PollNewRoute(poll_new_view) => staff::PollNew;
    services: ServicesRoute(services_view) => services::Services;
    services: ServiceRoute(service_view) => services::ServicePage;
    staff: ServiceEditorRoute(service_editor_view) => staff::ServiceEditor;
    staff: StaffServicesRoute(staff_services_view) => staff::StaffServices;
    services: AnswerRoute(answer_view) => services::AnswerPage;
    staff: AnswerEditorRoute(answer_editor_view) => staff::AnswerEditor;
    services: AskRoute(ask_view) => services::Ask;
    services: MyConsultationsRoute(my_consultations_view) => services::MyConsultations;
    services: ConsultationRoute(consultation_view) => services::ConsultationPage;
    staff: StaffConsultationsRoute(staff_consultations_view) => staff::StaffConsultations;
}
