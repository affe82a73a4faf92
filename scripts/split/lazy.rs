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
    ($( $chunk:ident : $route:ident ( $load:ident , $preload:ident ) => $($view:ident)::+ ; )*) => {
        $(
            pub struct $route;

            #[leptos::wasm_split::wasm_split(
                $chunk,
                wasm_split_path = ::leptos::wasm_split,
                preload($preload),
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
    home: HomeRoute(home_view, home_preload) => home::Home;
    home: PickerRoute(picker_view, picker_preload) => hromadas::Picker;
    home: HromadaRoute(hromada_view, hromada_preload) => hromadas::HromadaHome;
    staff: StaffDeskRoute(staff_desk_view, staff_desk_preload) => staff::StaffDesk;
    account: SignUpRoute(sign_up_view, sign_up_preload) => account::SignUp;
    account: SignInRoute(sign_in_view, sign_in_preload) => account::SignIn;
    account: AccountRoute(account_view, account_preload) => account::Profile;
    staff: AdminRoute(admin_view, admin_preload) => staff::Admin;
    news: FeedRoute(feed_view, feed_preload) => news::Feed;
    news: NewsItemRoute(news_item_view, news_item_preload) => news::NewsPage;
    staff: NewsEditorRoute(news_editor_view, news_editor_preload) => staff::NewsEditor;
    staff: StaffNewsRoute(staff_news_view, staff_news_preload) => staff::StaffNews;
    staff: StaffAlertsRoute(staff_alerts_view, staff_alerts_preload) => staff::StaffAlerts;
    appeals: MyAppealsRoute(my_appeals_view, my_appeals_preload) => appeals::MyAppeals;
    appeals: AppealRoute(appeal_view, appeal_preload) => appeals::AppealPage;
    appeals: PublicAppealsRoute(public_appeals_view, public_appeals_preload) => appeals::PublicAppeals;
    appeals: NewAppealRoute(new_appeal_view, new_appeal_preload) => appeals::NewAppeal;
    staff: StaffAppealsRoute(staff_appeals_view, staff_appeals_preload) => staff::StaffAppeals;
    staff: StaffCategoriesRoute(staff_categories_view, staff_categories_preload) => staff::StaffCategories;
    account: NotificationsRoute(notifications_view, notifications_preload) => account::NotificationsPage;
    account: OutboxRoute(outbox_view, outbox_preload) => account::OutboxPage;
    account: GoRoute(go_view, go_preload) => account::Go;
    petitions: MyPetitionsRoute(my_petitions_view, my_petitions_preload) => petitions::MyPetitions;
    petitions: PetitionRoute(petition_view, petition_preload) => petitions::PetitionPage;
    petitions: PetitionsRoute(petitions_view, petitions_preload) => petitions::Petitions;
    petitions: NewPetitionRoute(new_petition_view, new_petition_preload) => petitions::NewPetition;
    staff: StaffPetitionsRoute(staff_petitions_view, staff_petitions_preload) => staff::StaffPetitions;
    budget: BudgetRoute(budget_view, budget_preload) => budget::BudgetHome;
    budget: CycleRoute(cycle_view, cycle_preload) => budget::CyclePage;
    budget: NewProjectRoute(new_project_view, new_project_preload) => budget::NewProject;
    budget: VoteRoute(vote_view, vote_preload) => budget::Vote;
    budget: ResultsRoute(results_view, results_preload) => budget::Results;
    budget: ProjectRoute(project_view, project_preload) => budget::ProjectPage;
    budget: EditProjectRoute(edit_project_view, edit_project_preload) => budget::EditProject;
    staff: StaffBudgetRoute(staff_budget_view, staff_budget_preload) => staff::StaffBudget;
    polls: PollsRoute(polls_view, polls_preload) => polls::Polls;
    polls: PollRoute(poll_view, poll_preload) => polls::PollPage;
    staff: PollEditRoute(poll_edit_view, poll_edit_preload) => staff::PollEdit;
    staff: StaffPollsRoute(staff_polls_view, staff_polls_preload) => staff::StaffPolls;
    staff: PollNewRoute(poll_new_view, poll_new_preload) => staff::PollNew;
    services: ServicesRoute(services_view, services_preload) => services::Services;
    services: ServiceRoute(service_view, service_preload) => services::ServicePage;
    staff: ServiceEditorRoute(service_editor_view, service_editor_preload) => staff::ServiceEditor;
    staff: StaffServicesRoute(staff_services_view, staff_services_preload) => staff::StaffServices;
    services: AnswerRoute(answer_view, answer_preload) => services::AnswerPage;
    staff: AnswerEditorRoute(answer_editor_view, answer_editor_preload) => staff::AnswerEditor;
    services: AskRoute(ask_view, ask_preload) => services::Ask;
    services: MyConsultationsRoute(my_consultations_view, my_consultations_preload) => services::MyConsultations;
    services: ConsultationRoute(consultation_view, consultation_preload) => services::ConsultationPage;
    staff: StaffConsultationsRoute(staff_consultations_view, staff_consultations_preload) => staff::StaffConsultations;
}
