//! What the staff of a hromada and the administrators do.

mod admin;
mod alerts;
mod appeals;
mod budget;
mod news;
mod petitions;
mod polls;
mod services;
mod verifications;

pub use admin::Admin;
pub use alerts::StaffAlerts;
pub use appeals::{StaffAppeals, StaffCategories, StaffPanel};
pub use budget::{ProjectStaffPanel, StaffBudget};
pub use news::{NewsEditor, StaffNews};
pub use petitions::{PetitionStaffPanel, StaffPetitions};
pub use polls::{PollEdit, PollNew, PollStaffPanel, StaffPolls};
pub use services::{AnswerEditor, ServiceEditor, StaffConsultations, StaffServices};
pub use verifications::StaffDesk;
